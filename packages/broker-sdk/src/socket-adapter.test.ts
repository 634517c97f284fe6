import { afterEach, describe, expect, it } from 'vitest'
import { parseManifest } from './define-broker.js'
import { createSocketAdapter } from './socket-adapter.js'
import type { AdapterEvent, MarketDataAdapter } from './streaming-types.js'
import { refex, refexProtocol } from './test-helpers/reference-broker.js'
import {
  REFEX_CREDENTIALS,
  REFEX_SESSION,
  REFEX_SYMBOLS,
} from './test-helpers/reference-fixtures.js'
import { createManualClock } from './testing/manual-clock.js'
import { createMemorySymbols } from './testing/memory-symbols.js'
import { createMockBrokerServer } from './testing/mock-server.js'
import type { MockBrokerServer } from './testing/mock-server.js'
import { silentLogger } from './deps.js'

let server: MockBrokerServer
let adapter: MarketDataAdapter | undefined
afterEach(async () => {
  await adapter?.close()
  await server.close()
})

async function setup(limits = refex.manifest.streaming!) {
  server = await createMockBrokerServer()
  server.ws.onConnection((conn) => conn.send({ type: 'connected' }))
  const clock = createManualClock('2025-04-17T10:00:00+05:30')
  const events: AdapterEvent[] = []
  adapter = createSocketAdapter({
    brokerId: 'refex',
    protocol: refexProtocol({ ws: server.wsUrl }, REFEX_CREDENTIALS.apiKey),
    session: REFEX_SESSION,
    limits,
    symbols: createMemorySymbols(REFEX_SYMBOLS),
    clock,
    timers: clock,
    logger: silentLogger,
  })
  adapter.onEvent((e) => events.push(e))
  return { adapter, clock, events }
}

const sbin = { symbol: 'SBIN', exchange: 'NSE' } as const
const future = { symbol: 'NIFTY25APR24FUT', exchange: 'NFO' } as const

describe('socket adapter', () => {
  it('accepts 20-level depth only where the manifest lists it', async () => {
    const { adapter } = await setup()
    await adapter.connect()
    expect(await adapter.subscribe([sbin], 3, 20)).toEqual([
      { ref: sbin, ok: true, mode: 3, depth: 20 },
    ])
    expect(await adapter.subscribe([future], 3, 20)).toEqual([
      {
        ref: future,
        ok: false,
        code: 'invalid_depth',
        message: 'Invalid depth level 20. Must be 5',
      },
    ])
    const conn = await server.ws.waitForConnection()
    await conn.waitForMessage((f) => String(f).includes('"depth":20'))
  })

  it('changes mode with the broker mode frame, not a resubscribe', async () => {
    const { adapter } = await setup()
    await adapter.connect()
    const conn = await server.ws.waitForConnection()
    await adapter.subscribe([sbin], 1)
    await conn.waitForMessage((f) => String(f).includes('"ltp"'))
    const before = conn.received.length
    await adapter.subscribe([sbin], 3)
    await conn.waitForMessage((f) => String(f).includes('"full"'))
    expect(conn.receivedJson().slice(before)).toEqual([{ a: 'mode', v: ['full', [779521]] }])
  })

  it('sends the application heartbeat on schedule while open', async () => {
    const { adapter, clock } = await setup()
    await adapter.connect()
    const conn = await server.ws.waitForConnection()
    await clock.advanceAsync(60_000)
    await conn.waitForMessage((f) => f === 'h')
    expect(conn.received.filter((f) => f === 'h')).toHaveLength(2)
  })

  it('stops on a decoded auth refusal without reconnecting', async () => {
    const { adapter, clock, events } = await setup()
    await adapter.connect()
    const conn = await server.ws.waitForConnection()
    conn.send({ type: 'error', code: 'TokenException', message: 'access token expired' })
    await conn.waitForClose()
    await clock.advanceAsync(60_000)
    expect(adapter.status).toBe('auth_failed')
    expect(events.map((e) => e.type)).toEqual(['connected', 'auth_failed'])
    expect(server.ws.connections).toHaveLength(1)
  })

  it('gives up after the manifest attempt budget and says so', async () => {
    const limits = parseManifest({
      ...refex.manifest,
      streaming: {
        ...refex.manifest.streaming!,
        reconnect: { baseMs: 1000, capMs: 1000, maxAttempts: 2, healthyResetMs: 60_000 },
      },
    }).streaming!
    const { adapter, clock, events } = await setup(limits)
    await adapter.connect()
    server.ws.rejectNext(503, 10)
    server.ws.dropAll()
    for (let i = 0; i < 5; i += 1) {
      await new Promise((r) => setTimeout(r, 20))
      await clock.advanceAsync(1_000)
    }
    await new Promise((r) => setTimeout(r, 20))
    expect(events.filter((e) => e.type === 'reconnecting')).toHaveLength(2)
    expect(events.at(-1)).toMatchObject({ type: 'disconnected', willReconnect: false })
    expect(adapter.status).toBe('closed')
    expect(clock.pending).toBe(0)
  })

  it('reports a first connect failure to the caller instead of retrying on its own', async () => {
    const { adapter, clock } = await setup()
    server.ws.rejectNext(502)
    const result = await adapter.connect()
    expect(!result.ok && result.error.code).toBe('broker_down')
    await clock.advanceAsync(60_000)
    expect(server.ws.connections).toHaveLength(0)
    expect((await adapter.connect()).ok).toBe(true)
  })
})
