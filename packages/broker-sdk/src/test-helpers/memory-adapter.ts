// An in-process market-data adapter (no socket), the shape the simulator's adapter has: it proves
// the adapter conformance suite runs the rows that apply to such adapters and skips the rest.
import type { Clock } from '../deps.js'
import type { StreamMode } from '../enums.js'
import { instrumentKey } from '../models.js'
import type { InstrumentRef } from '../models.js'
import { fromRupees } from '../money.js'
import { ok } from '../result.js'
import type {
  AdapterEvent,
  AdapterStatus,
  MarketDataAdapter,
  SubscriptionAck,
  Tick,
} from '../streaming-types.js'
import type { SymbolResolver } from '../symbols.js'

export function createMemoryAdapter(deps: {
  symbols: SymbolResolver
  clock: Clock
  maxSymbols: number
}): MarketDataAdapter & {
  pump(): void
} {
  let status: AdapterStatus = 'idle'
  const subs = new Map<string, { ref: InstrumentRef; mode: StreamMode; depth: number }>()
  const ticks = new Set<(t: Tick) => void>()
  const events = new Set<(e: AdapterEvent) => void>()
  return {
    get status() {
      return status
    },
    async connect() {
      status = 'open'
      for (const l of events) l({ type: 'connected', atMs: deps.clock.now() })
      return ok(undefined)
    },
    async subscribe(refs, mode, depth = 5) {
      return refs.map((ref): SubscriptionAck => {
        if (deps.symbols.getToken(ref.symbol, ref.exchange) === undefined) {
          return {
            ref,
            ok: false,
            code: 'symbol_not_found',
            message: `Symbol ${ref.symbol} not found for exchange ${ref.exchange}`,
          }
        }
        if (!subs.has(instrumentKey(ref)) && subs.size >= deps.maxSymbols) {
          return {
            ref,
            ok: false,
            code: 'max_capacity_reached',
            message: 'Maximum capacity reached',
          }
        }
        subs.set(instrumentKey(ref), { ref, mode, depth })
        return { ref, ok: true, mode }
      })
    },
    async unsubscribe(refs) {
      return refs.map((ref): SubscriptionAck => {
        const sub = subs.get(instrumentKey(ref))
        if (sub === undefined)
          return { ref, ok: false, code: 'not_subscribed', message: 'not subscribed' }
        subs.delete(instrumentKey(ref))
        return { ref, ok: true, mode: sub.mode }
      })
    },
    async unsubscribeAll() {
      subs.clear()
    },
    async close() {
      status = 'closed'
      subs.clear()
      ticks.clear()
      events.clear()
    },
    onTick(l) {
      ticks.add(l)
      return () => ticks.delete(l)
    },
    onEvent(l) {
      events.add(l)
      return () => events.delete(l)
    },
    subscriptions: () => new Map(subs),
    pump() {
      for (const { ref, mode } of subs.values()) {
        const ltp = fromRupees(100)
        const tick: Tick = {
          symbol: ref.symbol,
          exchange: ref.exchange,
          mode,
          ltp,
          exchangeTs: deps.clock.now(),
          receivedTs: deps.clock.now(),
          lastQty: null,
          avgPrice: null,
          volume: null,
          open: null,
          high: null,
          low: null,
          prevClose: null,
          totalBuyQty: null,
          totalSellQty: null,
          oi: null,
          change: null,
          changePct: null,
        }
        for (const l of ticks) l(tick)
      }
    },
  }
}
