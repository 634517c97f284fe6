import { createAuthCache, secureRandom } from '@oa/auth-cache'
import { mainMigrations, openDatabase, type MainDatabase } from '@oa/db'
import { describe, expect, it, onTestFinished } from 'vitest'
import { main } from '../cli.js'
import {
  apiPost,
  commandIo,
  configFor,
  createHarness,
  tempInstall,
} from '../identity/test-helpers/harness.js'

const SETUP = [
  'setup',
  '--username',
  'admin',
  '--email',
  'admin@example.com',
  '--password',
  'Str0ng!Pass',
]

async function issueKey(env: Record<string, string>): Promise<string> {
  const run = commandIo(env)
  expect(await main(['apikey', '--username', 'admin'], run.io)).toBe(0)
  const lines = run
    .stdout()
    .split('\n')
    .filter((l) => l !== '')
  const key = lines[lines.length - 1] ?? ''
  expect(key).toMatch(/^[0-9a-f]{64}$/) // alone on its line
  return key
}

describe('oa apikey', () => {
  it('prints a key that POST /api/v1/ping accepts; a wrong key is 403, a missing one 400', async () => {
    const install = tempInstall()
    expect(await main(SETUP, commandIo(install.env).io)).toBe(0)
    const key = await issueKey(install.env)
    const h = await createHarness({ install })
    const ok = await apiPost(h.app, '/api/v1/ping', { apikey: key })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({
      status: 'success',
      data: { broker: 'simulator', message: 'pong' },
    })
    expect(
      (
        await apiPost(h.app, '/api/v1/ping', {
          apikey: key.replace(/.$/, '0') === key ? key.replace(/.$/, '1') : key.replace(/.$/, '0'),
        })
      ).status,
    ).toBe(403)
    const missing = await apiPost(h.app, '/api/v1/ping', {})
    expect(missing.status).toBe(400)
    expect(await missing.json()).toEqual({
      status: 'error',
      message: { apikey: ['Missing data for required field.'] },
    })
  })

  it('fails with a clear message for an unknown user (exit 1)', async () => {
    const install = tempInstall()
    const run = commandIo(install.env)
    expect(await main(['apikey', '--username', 'ghost'], run.io)).toBe(1)
    expect(run.stderr()).toContain('no user named "ghost"')
  })

  it('rotates: the old key is refused by a running server and by a second process on its next poll', async () => {
    const install = tempInstall()
    expect(await main(SETUP, commandIo(install.env).io)).toBe(0)
    const old = await issueKey(install.env)

    // the running server, on its own connection
    const server = await createHarness({ install })
    // a second process's verifier (what the ws-proxy holds), on yet another connection
    const config = configFor(install)
    const proxyDb = await openDatabase<MainDatabase>(config.storage.mainDb, mainMigrations)
    onTestFinished(() => proxyDb.close())
    const proxy = createAuthCache({
      db: proxyDb.sqlite,
      secrets: { pepper: config.secrets.apiKeyPepper, fernetSaltHex: config.secrets.fernetSalt },
      clock: { now: () => Date.now() },
      random: secureRandom,
      expiry: { time: config.session.expiryTime, disabled: config.session.disableExpiry },
      watch: {
        intervalMs: 100,
        schedule: (fn, ms) => {
          const t = setInterval(fn, ms)
          return () => clearInterval(t)
        },
      },
    })
    onTestFinished(() => proxy.stop())
    proxy.watcher.start()
    server.identity.start() // the server's own 100 ms watcher
    expect((await apiPost(server.app, '/api/v1/ping', { apikey: old })).status).toBe(200)
    expect(await proxy.verifier.verify(old)).toMatchObject({ ok: true })

    const fresh = await issueKey(install.env) // `oa apikey` again: a third process rotates
    const rotatedAt = Date.now()
    await expect
      .poll(() => proxy.verifier.cached(old), { interval: 5, timeout: 2_000 })
      .toBeUndefined()
    await expect
      .poll(async () => (await apiPost(server.app, '/api/v1/ping', { apikey: old })).status, {
        interval: 5,
        timeout: 2_000,
      })
      .toBe(403)
    expect(Date.now() - rotatedAt).toBeLessThan(1_000) // bound: one 100 ms poll; generous for CI
    expect(await proxy.verifier.verify(old)).toEqual({ ok: false, reason: 'invalid' })
    expect((await apiPost(server.app, '/api/v1/ping', { apikey: fresh })).status).toBe(200)
    expect(await proxy.verifier.verify(fresh)).toMatchObject({ ok: true })
  })
})
