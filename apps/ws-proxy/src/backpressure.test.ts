import type { Socket } from 'node:net'
import type { Tick } from '@oa/broker-sdk'
import { describe, expect, it } from 'vitest'
import {
  connectAs,
  simulatorRows,
  startTestProxy,
  waitUntil,
  type Frame,
  type TestClient,
} from './test-helpers/harness.js'

const rawSocketOf = (client: TestClient): Socket =>
  (client.ws as unknown as { _socket: Socket })._socket

describe('backpressure: a client that stops reading', () => {
  it('is evicted with SLOW_CONSUMER and 1013 while 99 others receive every tick', async () => {
    const proxy = await startTestProxy({
      simulator: { ticksPerSecond: 10, pumpIntervalMs: 10 },
      limits: { highWaterBytes: 32 * 1024, slowConsumerMs: 500, closeGraceMs: 3_000 },
    })
    proxy.identity.issue('admin', 'key-1')
    const equities = simulatorRows().filter((r) => r.exchange === 'NSE')
    const watched = equities.slice(0, 5).map((r) => ({ symbol: r.symbol, exchange: 'NSE' }))
    const heavy = equities.slice(5, 305).map((r) => ({ symbol: r.symbol, exchange: 'NSE' }))

    const healthy: TestClient[] = []
    for (let i = 0; i < 99; i++) healthy.push(await connectAs(proxy.url, 'key-1'))
    const slow = await connectAs(proxy.url, 'key-1')
    for (const c of healthy) c.send({ action: 'subscribe', symbols: watched, mode: 'LTP' })
    await Promise.all(healthy.map((c) => c.next((f) => f['type'] === 'subscribe')))
    slow.send({ action: 'subscribe', symbols: heavy, mode: 'Depth' })
    await slow.next((f) => f['type'] === 'subscribe')

    // every tick the broker side produced for the watched instruments, by its receive time
    const produced: Tick[] = []
    const watchedKeys = new Set(watched.map((w) => w.symbol))
    proxy.server
      .feeds()[0]!
      .adapters()[0]!
      .onTick((t) => {
        if (watchedKeys.has(t.symbol)) produced.push(t)
      })

    rawSocketOf(slow).pause()
    const pausedAt = Date.now()
    await waitUntil(() => proxy.server.metrics.slowConsumers === 1, 'the eviction', 15_000)
    const evictedAfterMs = Date.now() - pausedAt
    // the others kept going the whole time; stop counting here and let in-flight frames land
    const cutoff = Date.now()
    await new Promise((r) => setTimeout(r, 300))

    // the evicted client, reading again, finds the error frame and the 1013 close
    rawSocketOf(slow).resume()
    const closed = await slow.closed
    expect(closed.code).toBe(1013)
    expect(slow.frames.at(-1)).toMatchObject({ type: 'error', code: 'SLOW_CONSUMER' })
    expect(evictedAfterMs).toBeGreaterThanOrEqual(500)

    const expected = produced.filter((t) => t.receivedTs <= cutoff)
    expect(expected.length).toBeGreaterThan(50)
    for (const c of healthy) {
      const got = c.frames.filter((f) => f['type'] === 'market_data')
      const seen = new Set(
        got.map((f) => `${String(f['symbol'])}@${String((f['data'] as Frame)['timestamp'])}`),
      )
      const firstTs = Math.min(...got.map((f) => (f['data'] as Frame)['timestamp'] as number))
      const missing = expected.filter(
        (t) => t.receivedTs >= firstTs && !seen.has(`${t.symbol}@${t.receivedTs}`),
      )
      expect(missing).toEqual([])
      // no gaps in seq: nothing was conflated or dropped for a client that keeps up
      const seqs = c.frames.map((f) => f['seq'] as number)
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i))
      expect(c.ws.readyState).toBe(c.ws.OPEN)
    }
    expect(proxy.server.metrics.dropped).toBe(0)
  }, 60_000)
})
