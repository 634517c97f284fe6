import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAuthCache, secureRandom, type AuthCache } from '@oa/auth-cache'
import { silentLogger } from '@oa/broker-sdk'
import { mainMigrations, openDatabase, type MainDatabase } from '@oa/db'
import { describe, expect, it, onTestFinished } from 'vitest'
import { deriveFeedTokenKey, mintFeedToken } from '@oa/web-contract/feed-token'
import { createSimulatorStreaming } from './brokers.js'
import { createAuthCacheIdentity } from './identity.js'
import { startFeedServer } from './server.js'
import {
  connect,
  connectAs,
  memorySymbols,
  simulatorRows,
  type Frame,
} from './test-helpers/harness.js'

const PEPPER = 'p'.repeat(40)

/** One process's auth cache over its own connection to a shared main database. */
async function authOn(path: string): Promise<AuthCache> {
  const db = await openDatabase<MainDatabase>(path, mainMigrations)
  const auth = createAuthCache({
    db: db.sqlite,
    secrets: { pepper: PEPPER, fernetSaltHex: 'ab'.repeat(16) },
    clock: { now: () => Date.now() },
    random: secureRandom,
    expiry: { time: { hour: 3, minute: 0 }, disabled: true },
  })
  onTestFinished(async () => {
    auth.stop()
    await db.close()
  })
  return auth
}

/**
 * A proxy whose identity is `@oa/auth-cache` over its own connection, and the "server": a second
 * auth cache over another connection to the same file, which issues, rotates and deletes keys
 * and saves broker logins, as apps/server and the `oa` commands do.
 */
async function setup(sessionlessBroker: string | null, feedTokenKey?: Uint8Array) {
  const dir = mkdtempSync(join(tmpdir(), 'oa-wsp-id-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'openalgo.db')
  const serverSide = await authOn(path)
  const proxySide = await authOn(path)
  const simulator = createSimulatorStreaming({
    seed: 1,
    alwaysOpen: true,
    ticksPerSecond: 8,
    pumpIntervalMs: 20,
  })
  const server = await startFeedServer({
    host: '127.0.0.1',
    port: 0,
    identity: createAuthCacheIdentity({
      auth: proxySide,
      sessionlessBroker,
      ...(feedTokenKey === undefined ? {} : { feedTokenKey }),
    }),
    brokers: new Map([[simulator.id, simulator]]),
    symbols: memorySymbols(simulatorRows()),
    validBrokers: ['simulator'],
    isExchangeOpen: () => true,
    limits: { identityPollMs: 20, lingerMs: 0 },
    logger: silentLogger,
  })
  onTestFinished(() => server.close())
  return { serverSide, server, url: `ws://127.0.0.1:${server.address.port}` }
}

const status = (s: string) => (f: Frame) => f['type'] === 'feed_status' && f['status'] === s
const sbin = (f: Frame): boolean => f['type'] === 'market_data' && f['symbol'] === 'SBIN'

describe('API keys through @oa/auth-cache (real Argon2, real SQLite, two connections)', () => {
  it('authenticates a valid key and closes a wrong one with 4401', async () => {
    const { serverSide, url } = await setup('simulator')
    const key = await serverSide.issueApiKey('admin')
    const good = await connectAs(url, key)
    expect(good.frames[0]).toMatchObject({ type: 'auth', user_id: 'admin', broker: 'simulator' })
    const bad = await connect(url)
    bad.send({ action: 'authenticate', api_key: key.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })
    expect(await bad.next()).toMatchObject({
      code: 'AUTHENTICATION_ERROR',
      message: 'Invalid API key',
    })
    expect((await bad.closed).code).toBe(4401)
  })

  it('closes sockets at once when another process rotates or deletes the key', async () => {
    const { serverSide, url } = await setup('simulator')
    const first = await serverSide.issueApiKey('admin')
    const bob = await serverSide.issueApiKey('bob')
    const a = await connectAs(url, first)
    const b = await connectAs(url, bob)
    const rotatedAt = Date.now()
    const second = await serverSide.issueApiKey('admin') // rotation: the old key is gone
    expect(await a.closed).toEqual({ code: 4401, reason: 'api key revoked' })
    expect(Date.now() - rotatedAt).toBeLessThan(1_000)
    expect(a.frames.at(-1)).toMatchObject({ code: 'AUTHENTICATION_ERROR' })
    // the new key works; bob was not touched
    const again = await connectAs(url, second)
    b.send({ action: 'ping' })
    expect(await b.next()).toMatchObject({ type: 'pong' })
    serverSide.deleteApiKey('admin')
    expect((await again.closed).code).toBe(4401)
    expect(b.ws.readyState).toBe(b.ws.OPEN)
  })

  it('follows a broker token change in place: the feed reconnects and ticks resume unprompted', async () => {
    const { serverSide, server, url } = await setup('simulator')
    const key = await serverSide.issueApiKey('admin')
    const client = await connectAs(url, key)
    client.send({ action: 'subscribe', symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 1 })
    await client.next(sbin)
    const before = server.feeds()[0]!.adapters()[0]
    serverSide.saveBrokerSession({
      username: 'admin',
      broker: 'simulator',
      authToken: 'sim-token-2',
    })
    await client.next(status('reconnecting'))
    await client.next(status('connected'))
    const mark = client.frames.length
    await client.next(sbin)
    expect(client.frames.length).toBeGreaterThan(mark)
    expect(server.feeds()[0]!.adapters()[0]).not.toBe(before)
    expect(client.frames.filter((f) => f['type'] === 'subscribe')).toHaveLength(1)
    expect(client.ws.readyState).toBe(client.ws.OPEN)
  })

  it('stops the feed when the broker session is revoked and restarts it on the next login', async () => {
    const { serverSide, url } = await setup(null)
    const key = await serverSide.issueApiKey('admin')
    serverSide.saveBrokerSession({ username: 'admin', broker: 'simulator', authToken: 'sim-1' })
    const client = await connectAs(url, key)
    client.send({ action: 'subscribe', symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 1 })
    await client.next(sbin)
    serverSide.revokeBrokerSession('admin')
    await client.next(status('session_expired'))
    serverSide.saveBrokerSession({ username: 'admin', broker: 'simulator', authToken: 'sim-2' })
    await client.next(status('connected'))
    await client.next(sbin)
  })

  it('refuses a user with no broker session when the broker needs a login', async () => {
    const { serverSide, url } = await setup(null)
    const key = await serverSide.issueApiKey('admin')
    const client = await connect(url)
    client.send({ action: 'authenticate', api_key: key })
    expect(await client.next()).toMatchObject({
      code: 'BROKER_ERROR',
      message: 'No broker configuration found for user',
    })
    client.send({ action: 'subscribe', symbol: 'SBIN', exchange: 'NSE' })
    expect(await client.next()).toMatchObject({ code: 'NOT_AUTHENTICATED' })
  })

  it("streams market data to the web app's feed token, and nothing else", async () => {
    const key = deriveFeedTokenKey('k'.repeat(64))
    const { url } = await setup('simulator', key)
    const mint = (username: string, nowMs: number, with_ = key) =>
      mintFeedToken({ key: with_, username, nowMs, ttlMs: 600_000 }).token

    const web = await connect(url)
    web.send({ action: 'authenticate', feed_token: mint('admin', Date.now()) })
    expect(await web.next((f) => f['type'] === 'auth')).toMatchObject({
      status: 'success',
      user_id: 'admin',
    })
    web.send({ action: 'subscribe', symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 'LTP' })
    expect(await web.next(sbin)).toMatchObject({ mode: 1, data: { symbol: 'SBIN' } })
    // order updates are account data: a feed token does not unlock them
    web.send({ action: 'subscribe_orders' })
    expect(await web.next((f) => f['status'] === 'error')).toMatchObject({
      code: 'NOT_AUTHENTICATED',
    })

    const forged = await connect(url)
    forged.send({
      action: 'authenticate',
      feed_token: mint('admin', Date.now(), deriveFeedTokenKey('x'.repeat(64))),
    })
    expect((await forged.closed).code).toBe(4401)
    const expired = await connect(url)
    expired.send({ action: 'authenticate', feed_token: mint('admin', Date.now() - 3_600_000) })
    expect((await expired.closed).code).toBe(4401)
  })
})
