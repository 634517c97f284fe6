/**
 * The ws-proxy as a real process, the way `oa start` runs it (forked with an IPC channel) and the
 * way an operator runs `oa-ws-proxy` on its own (no IPC): env-check, the main database, API keys
 * verified with Argon2 in the child, order events over IPC or from the table, credential changes
 * made by another process, and a clean SIGTERM.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAuthCache, secureRandom, type AuthCache } from '@oa/auth-cache'
import {
  appendOrderEvent,
  mainMigrations,
  openDatabase,
  type MainDatabase,
  type OrderEvent,
  type DatabaseHandle,
} from '@oa/db'
import { describe, expect, it, onTestFinished } from 'vitest'
import { connect, connectAs, type Frame } from '../src/test-helpers/harness.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const entry = fileURLToPath(new URL('../src/entry.ts', import.meta.url))

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

interface Install {
  env: Record<string, string>
  wsPort: number
  mainDb: string
  pepper: string
  salt: string
}

async function tempInstall(): Promise<Install> {
  const dir = mkdtempSync(join(tmpdir(), 'oa-wsp-proc-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const wsPort = await freePort()
  const pepper = randomBytes(32).toString('hex')
  const salt = randomBytes(16).toString('hex')
  const text = readFileSync(join(repoRoot, '.sample.env'), 'utf8')
    .replace(/^APP_KEY\s*=.*$/m, `APP_KEY = '${randomBytes(32).toString('hex')}'`)
    .replace(/^API_KEY_PEPPER\s*=.*$/m, `API_KEY_PEPPER = '${pepper}'`)
    .replace(/^FERNET_SALT\s*=.*$/m, `FERNET_SALT = '${salt}'`)
    .replace(/^WEBSOCKET_PORT\s*=.*$/m, `WEBSOCKET_PORT = '${wsPort}'`)
    .replace(/^WEBSOCKET_URL\s*=.*$/m, `WEBSOCKET_URL = 'ws://127.0.0.1:${wsPort}'`)
  const envFile = join(dir, '.env')
  writeFileSync(envFile, text, { mode: 0o600 })
  const dataDir = join(dir, 'db')
  return {
    env: { OA_ENV_FILE: envFile, OA_DATA_DIR: dataDir, PATH: process.env['PATH'] ?? '' },
    wsPort,
    mainDb: join(dataDir, 'openalgo.db'),
    pepper,
    salt,
  }
}

/** The "server" side: its own connection and auth cache over the proxy's database. */
async function serverSide(
  install: Install,
): Promise<{ db: DatabaseHandle<MainDatabase>; auth: AuthCache }> {
  const db = await openDatabase<MainDatabase>(install.mainDb, mainMigrations)
  const auth = createAuthCache({
    db: db.sqlite,
    secrets: { pepper: install.pepper, fernetSaltHex: install.salt },
    clock: { now: () => Date.now() },
    random: secureRandom,
    expiry: { time: { hour: 3, minute: 0 }, disabled: false },
  })
  onTestFinished(async () => {
    auth.stop()
    await db.close()
  })
  return { db, auth }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

const orderEvent: OrderEvent = {
  kind: 'complete',
  status: 'complete',
  mode: 'analyze',
  broker: 'simulator',
  orderId: 'P-1',
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'SELL',
  quantity: 5,
  priceE4: 0,
  triggerPriceE4: 0,
  priceType: 'MARKET',
  product: 'MIS',
  filledQuantity: 5,
  pendingQuantity: 0,
  averagePriceE4: 7_650_000,
  fill: { priceE4: 7_650_000, quantity: 5 },
  rejectionReason: '',
  atEpochMs: 1_744_864_200_000,
}

describe('the ws-proxy process', () => {
  it('as a supervised child: ready over IPC, order events over IPC, stats, key rotation, SIGTERM', async () => {
    const install = await tempInstall()
    const child = fork(entry, [], {
      cwd: repoRoot,
      env: { ...install.env, OA_SUPERVISED: '1' },
      execArgv: ['--conditions=@oa/source', '--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    })
    onTestFinished(() => void child.kill('SIGKILL'))
    const messages: Frame[] = []
    child.on('message', (m) => messages.push(m as Frame))
    const ready = await new Promise<Frame>((resolve, reject) => {
      child.on('message', (m) => {
        if ((m as Frame)['type'] === 'ready') resolve(m as Frame)
      })
      child.once('exit', (code) => reject(new Error(`ws-proxy exited with ${code}`)))
    })
    expect(ready['port']).toBe(install.wsPort)

    const { db, auth } = await serverSide(install)
    const key = await auth.issueApiKey('admin')
    const url = `ws://127.0.0.1:${install.wsPort}`
    const client = await connectAs(url, key)
    client.send({ action: 'subscribe_orders' })
    await client.next((f) => f['type'] === 'subscribe_orders')

    const { seq } = appendOrderEvent(db, 'admin', orderEvent)
    const sentAt = performance.now()
    child.send({ type: 'order_event', username: 'admin', seq, event: orderEvent })
    const update = await client.next((f) => f['type'] === 'order_update')
    expect(performance.now() - sentAt).toBeLessThan(50)
    expect(update).toMatchObject({
      orderid: 'P-1',
      order_status: 'complete',
      order_seq: 1,
      fill_quantity: 5,
    })

    child.send({ type: 'get_stats', requestId: 's1' })
    await expect
      .poll(() => messages.find((m) => m['type'] === 'stats'))
      .toMatchObject({ requestId: 's1', stats: { authenticated: 1, orderEvents: 1 } })

    // another process rotates the key: the socket goes within an epoch poll
    await auth.issueApiKey('admin')
    expect(await client.closed).toEqual({ code: 4401, reason: 'api key revoked' })

    const t0 = performance.now()
    child.kill('SIGTERM')
    expect(await exited(child)).toBe(0)
    expect(performance.now() - t0).toBeLessThan(5_000)
  }, 60_000)

  it('standalone (no IPC): picks order events up from the order_events table within 50 ms', async () => {
    const install = await tempInstall()
    const child = spawn(process.execPath, ['--conditions=@oa/source', '--import', 'tsx', entry], {
      cwd: repoRoot,
      env: install.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    onTestFinished(() => void child.kill('SIGKILL'))
    await new Promise<void>((resolve, reject) => {
      let out = ''
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('ws-proxy listening')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`ws-proxy exited with ${code}`)))
    })
    const { db, auth } = await serverSide(install)
    const key = await auth.issueApiKey('admin')
    const url = `ws://127.0.0.1:${install.wsPort}`
    const client = await connectAs(url, key)
    client.send({ action: 'subscribe_orders' })
    await client.next((f) => f['type'] === 'subscribe_orders')
    const other = await connect(url)
    const sentAt = performance.now()
    appendOrderEvent(db, 'admin', orderEvent)
    await client.next((f) => f['type'] === 'order_update')
    expect(performance.now() - sentAt).toBeLessThan(50)
    expect(other.frames).toEqual([])
    child.kill('SIGTERM')
    expect(await exited(child)).toBe(0)
  }, 60_000)
})
