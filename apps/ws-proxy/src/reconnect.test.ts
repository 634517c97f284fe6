import type { SimulatorAdapter } from '@oa/broker-simulator'
import { describe, expect, it } from 'vitest'
import { connectAs, startTestProxy, type Frame } from './test-helpers/harness.js'

const sbin = (f: Frame): boolean => f['type'] === 'market_data' && f['symbol'] === 'SBIN'
const status = (s: string) => (f: Frame) => f['type'] === 'feed_status' && f['status'] === s

describe('upstream failures', () => {
  it('reports a dropped feed and resumes ticks after the adapter reconnects, without resubscribing', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const client = await connectAs(proxy.url, 'key-1')
    client.send({ action: 'subscribe', symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 2 })
    await client.next(sbin)
    const adapter = proxy.server.feeds()[0]!.adapters()[0] as SimulatorAdapter
    adapter.forceDisconnect('upstream killed', 200)
    const down = await client.next(status('reconnecting'))
    expect(down).toMatchObject({ broker: 'simulator', type: 'feed_status' })
    await client.next(status('connected'))
    const after = client.frames.length
    await client.next(sbin)
    expect(client.frames.length).toBeGreaterThan(after)
    // the client never sent another subscribe
    expect(client.frames.filter((f) => f['type'] === 'subscribe')).toHaveLength(1)
    expect(proxy.server.metrics.reconnects).toBeGreaterThanOrEqual(1)
  })

  it('rebuilds a feed whose adapter died for good, with backoff, and resubscribes everything', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const client = await connectAs(proxy.url, 'key-1')
    client.send({
      action: 'subscribe',
      symbols: [
        { symbol: 'SBIN', exchange: 'NSE' },
        { symbol: 'RELIANCE', exchange: 'NSE' },
      ],
      mode: 3,
    })
    await client.next(sbin)
    const feed = proxy.server.feeds()[0]!
    const dead = feed.adapters()[0]!
    await dead.close() // the broker connection is gone and will not come back by itself
    await client.next(status('reconnecting'))
    await client.next(status('connected'), 5_000)
    const fresh = feed.adapters()[0]!
    expect(fresh).not.toBe(dead)
    expect([...fresh.subscriptions().values()].map((s) => [s.ref.symbol, s.mode]).sort()).toEqual([
      ['RELIANCE', 3],
      ['SBIN', 3],
    ])
    const f = await client.next(sbin)
    expect(f['mode']).toBe(3)
  })
})
