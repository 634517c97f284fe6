import type { Broker, Exchange } from '@oa/broker-sdk'
import type { PriceSource, Quote } from '@oa/sandbox-engine'
import type { Clock } from '../clock.js'

/**
 * The sandbox's prices from a broker's REST quotes (a broker whose prices the server cannot
 * compute itself): one quote call per instrument, remembered for `ttlMs` (default 1000) so a
 * burst of orders on one symbol costs one call; concurrent asks for one instrument share it.
 * `broker()` answers the broker to ask (the registry's background instance), or undefined.
 */
export function createBrokerPrices(options: {
  readonly broker: () => Broker | undefined
  readonly clock: Clock
  readonly ttlMs?: number
}): PriceSource {
  const ttl = options.ttlMs ?? 1_000
  const cache = new Map<string, { atMs: number; quote: Promise<Quote | null> }>()
  return {
    quote(symbol, exchange) {
      const key = `${exchange}:${symbol}`
      const now = options.clock.now()
      const hit = cache.get(key)
      if (hit && now - hit.atMs < ttl) return hit.quote
      const broker = options.broker()
      if (!broker) return null
      const quote = broker.marketData
        .quote({ symbol, exchange: exchange as Exchange })
        .then((r): Quote | null =>
          r.ok
            ? {
                ltp: r.value.ltp,
                bid: r.value.bid,
                ask: r.value.ask,
                high: r.value.high,
                low: r.value.low,
                atMs: now,
              }
            : null,
        )
      cache.set(key, { atMs: now, quote })
      if (cache.size > 10_000) cache.delete(cache.keys().next().value as string)
      return quote
    },
  }
}
