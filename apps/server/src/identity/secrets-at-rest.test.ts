import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../cli.js'
import {
  apiPost,
  commandIo,
  createBrowser,
  createHarness,
  tempInstall,
} from './test-helpers/harness.js'

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

describe('secrets at rest and in logs', () => {
  it('keeps the API key, the password and the broker token out of every file in OA_DATA_DIR and the log', async () => {
    const install = tempInstall()
    const password = 'Sup3r!Secret-pw'
    expect(
      await main(
        ['setup', '--username', 'admin', '--email', 'a@example.com', '--password', password],
        commandIo(install.env).io,
      ),
    ).toBe(0)
    const cli = commandIo(install.env)
    expect(await main(['apikey', '--username', 'admin'], cli.io)).toBe(0)
    const key = cli.stdout().trim().split('\n').pop() ?? ''
    expect(key).toMatch(/^[0-9a-f]{64}$/)

    const h = await createHarness({ install })
    const b = createBrowser(h.app)
    await b.fetchCsrf()
    // a failed and a good login, a broker login, API calls, a reveal
    await b.post('/auth/login', { username: 'admin', password: `${password}x` })
    expect((await b.post('/auth/login', { username: 'admin', password })).status).toBe(200)
    expect(
      (await b.request('/simulator/callback', { headers: { accept: 'application/json' } })).status,
    ).toBe(200)
    expect((await apiPost(h.app, '/api/v1/ping', { apikey: key })).status).toBe(200)
    expect((await apiPost(h.app, '/api/v1/ping', { apikey: `${key.slice(0, 63)}x` })).status).toBe(
      403,
    )
    expect((await b.post('/apikey/reveal', { password })).status).toBe(200)
    const brokerToken = h.identity.auth.brokerSessions.get('admin')?.authToken ?? ''
    expect(brokerToken).toMatch(/^sim-/)
    const totpSecret = h.identity.auth.decrypt(
      (h.main.sqlite.prepare('SELECT totp_secret FROM users').get() as { totp_secret: string })
        .totp_secret,
    )
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/)

    h.main.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    h.logs.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    const secrets = { key, password, brokerToken, totpSecret: totpSecret ?? '' }
    const files = filesUnder(h.dir).filter((f) => !f.endsWith('.env'))
    expect(files.some((f) => f.endsWith('openalgo.db'))).toBe(true)
    for (const file of files) {
      const bytes = readFileSync(file)
      for (const [name, secret] of Object.entries(secrets)) {
        expect(bytes.includes(Buffer.from(secret)), `${name} found in ${file}`).toBe(false)
      }
    }
    const log = h.logText()
    expect(log).toContain('broker login') // the log did capture the flow
    for (const [name, secret] of Object.entries(secrets)) {
      expect(log.includes(secret), `${name} found in the log`).toBe(false)
    }
  })
})
