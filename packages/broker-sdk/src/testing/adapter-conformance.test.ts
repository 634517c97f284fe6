import { describe, expect, it } from 'vitest'
import type { MarketDataAdapter } from '../streaming-types.js'
import { createSocketAdapter } from '../socket-adapter.js'
import type { SocketProtocol } from '../socket-adapter.js'
import { createMemoryAdapter } from '../test-helpers/memory-adapter.js'
import { refex, refexProtocol } from '../test-helpers/reference-broker.js'
import { REFEX_CREDENTIALS, refexAdapterFixture } from '../test-helpers/reference-fixtures.js'
import { checkAdapter } from './adapter-conformance.js'
import type { AdapterEnv, AdapterFixture } from './adapter-conformance.js'
import type { MockBrokerServer } from './mock-server.js'

type Patch = {
  protocol?: (p: SocketProtocol) => SocketProtocol
  adapter?: (a: MarketDataAdapter) => MarketDataAdapter
  noRefresh?: boolean
}

function brokenFixture(server: MockBrokerServer, patch: Patch): AdapterFixture {
  const base = refexAdapterFixture(server)
  return {
    ...base,
    createAdapter(env: AdapterEnv) {
      const protocol = refexProtocol({ ws: server.wsUrl }, REFEX_CREDENTIALS.apiKey)
      const adapter = createSocketAdapter({
        brokerId: 'refex',
        protocol: patch.protocol?.(protocol) ?? protocol,
        session: env.session,
        limits: refex.manifest.streaming!,
        symbols: env.symbols,
        clock: env.clock,
        timers: env.clock,
        logger: env.logger,
        ...(patch.noRefresh === true ? {} : { refreshSession: env.refreshSession }),
      })
      return patch.adapter?.(adapter) ?? adapter
    },
  }
}

async function statuses(patch: Patch) {
  const all = await checkAdapter({
    name: 'broken',
    setup: ({ server }) => brokenFixture(server, patch),
  })
  return Object.fromEntries(all.map((r) => [r.id.replace('streaming.md §2.8 ', ''), r]))
}

describe('the adapter conformance suite', () => {
  it('passes the reference adapter on every check, skipping none', async () => {
    const all = await checkAdapter({
      name: 'refex',
      setup: ({ server }) => refexAdapterFixture(server),
    })
    expect(all.map((r) => [r.id, r.status, r.message])).toEqual(
      all.map((r) => [r.id, 'pass', undefined]),
    )
  })

  it('runs the rows that apply to an in-process adapter and skips the socket-only ones', async () => {
    let pump = (): void => {}
    const all = await checkAdapter({
      name: 'memory',
      setup: ({ server }) => {
        const base = refexAdapterFixture(server)
        return {
          limits: base.limits,
          symbols: base.symbols,
          instruments: base.instruments,
          session: base.session,
          createAdapter: (env) => {
            const adapter = createMemoryAdapter({
              symbols: env.symbols,
              clock: env.clock,
              maxSymbols: base.limits.maxSymbolsPerConnection,
            })
            pump = adapter.pump
            return adapter
          },
          pump: () => pump(),
        }
      },
    })
    expect(
      Object.fromEntries(all.map((r) => [r.id.replace('streaming.md §2.8 ', ''), r.status])),
    ).toEqual({
      decode: 'skip',
      framing: 'skip',
      modes: 'pass',
      'multi-client': 'pass',
      reconnect: 'skip',
      auth: 'skip',
      stall: 'skip',
      capacity: 'pass',
      shutdown: 'pass',
    })
  })

  it('fails a decoder that reads the previous close from the wrong field', async () => {
    const r = await statuses({
      protocol: (p) => ({
        ...p,
        decode: (frame) =>
          p
            .decode(frame)
            .map((f) =>
              f.type === 'tick' ? { ...f, data: { ...f.data, prevClose: f.data.open ?? null } } : f,
            ),
      }),
    })
    expect(r['decode']?.status).toBe('fail')
    expect(r['decode']?.message).toMatch(/prevClose expected/)
  })

  it('fails subscribe frames that send tokens as strings', async () => {
    const r = await statuses({
      protocol: (p) => ({
        ...p,
        subscribeFrames: (items, mode, depth) => [
          JSON.stringify({ a: 'subscribe', v: items.map((i) => i.token) }),
          ...p.subscribeFrames(items, mode, depth).slice(1),
        ],
      }),
    })
    expect(r['framing']?.status).toBe('fail')
  })

  it('fails a reconnect that reuses the expired token', async () => {
    const r = await statuses({ noRefresh: true })
    expect(r['reconnect']?.status).toBe('fail')
    expect(r['reconnect']?.message).toMatch(/not the refreshed session's token/)
  })

  it('fails an adapter that silently drops instruments beyond its capacity', async () => {
    const r = await statuses({
      adapter: (a) => ({
        ...a,
        status: a.status,
        subscribe: async (...args) => (await a.subscribe(...args)).filter((ack) => ack.ok),
      }),
    })
    expect(r['capacity']?.status).toBe('fail')
  })

  it('fails an adapter whose close() leaves the socket open', async () => {
    const r = await statuses({
      adapter: (a) =>
        Object.defineProperties(
          { ...a, close: async () => {} },
          { status: { get: () => 'closed' } },
        ) as MarketDataAdapter,
    })
    expect(r['shutdown']?.status).toBe('fail')
  })
})
