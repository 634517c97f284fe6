/**
 * The simulator's market as the sandbox engine's ports: instruments and prices computed in
 * process from the deterministic model (no network, no symbol table). The simulator's own live
 * orders use them, and a host running analyzer mode on the simulator can use them too: a quote
 * costs about a microsecond and answers synchronously.
 */
import { tryParseInr4, type Inr4 } from '@oa/broker-sdk'
import type {
  InstrumentInfo,
  InstrumentSource,
  PriceSource,
  Quote,
  TradingCalendar,
} from '@oa/sandbox-engine'
import { formatIsoDate, parseIsoDate } from '../market/calendar.js'
import type { Instrument, Market } from '../market/market.js'

/** index underlyings trade on the index exchange of their derivatives' venue */
const INDEX_EXCHANGE: Readonly<Record<string, string>> = { NFO: 'NSE_INDEX', BFO: 'BSE_INDEX' }
const STOCK_EXCHANGE: Readonly<Record<string, string>> = { NFO: 'NSE', BFO: 'BSE' }

function infoOf(inst: Instrument): InstrumentInfo {
  const derivative = inst.kind === 'future' || inst.kind === 'option'
  const u = inst.underlying
  const uExchange = derivative
    ? u.kind === 'index'
      ? INDEX_EXCHANGE[inst.exchange]
      : u.kind === 'stock'
        ? STOCK_EXCHANGE[inst.exchange]
        : undefined
    : undefined
  return {
    lotSize: inst.lotSize,
    tickSize: inst.tickE4 as Inr4,
    instrumentType:
      inst.kind === 'index'
        ? 'INDEX'
        : inst.kind === 'equity'
          ? 'EQ'
          : inst.kind === 'future'
            ? 'FUT'
            : (inst.optionType ?? 'CE'),
    expiry: inst.expiryDay === null ? undefined : formatIsoDate(inst.expiryDay),
    underlying: uExchange === undefined ? undefined : { symbol: u.name, exchange: uExchange },
    strike: inst.strike === null ? undefined : (tryParseInr4(String(inst.strike)) ?? undefined),
  }
}

/** The sandbox's {@link InstrumentSource} over the market's own listing (memoised per instrument). */
export function createMarketInstruments(market: Market): InstrumentSource {
  const memo = new Map<string, InstrumentInfo | null>()
  return {
    get(symbol, exchange) {
      const key = `${exchange}:${symbol}`
      let info = memo.get(key)
      if (info === undefined) {
        const r = market.resolve(symbol, exchange)
        info = r.ok ? infoOf(r.value) : null
        memo.set(key, info)
      }
      return info ?? undefined
    },
  }
}

/**
 * The sandbox's {@link PriceSource}: the market's quote at the clock's instant, with the touch
 * (bid/ask) and the day's range. Synchronous; `null` for an unknown instrument.
 */
export function createMarketPrices(market: Market, clock: { now(): number }): PriceSource {
  const resolved = new Map<string, Instrument | null>()
  return {
    quote(symbol, exchange): Quote | null {
      const key = `${exchange}:${symbol}`
      let inst = resolved.get(key)
      if (inst === undefined) {
        const r = market.resolve(symbol, exchange)
        inst = r.ok ? r.value : null
        resolved.set(key, inst)
      }
      if (inst === null) return null
      const now = clock.now()
      const q = market.quote(inst, now)
      return {
        ltp: q.ltp as Inr4,
        bid: q.bid as Inr4,
        ask: q.ask as Inr4,
        high: q.high as Inr4,
        low: q.low as Inr4,
        atMs: now,
      }
    },
  }
}

/** The sandbox's {@link TradingCalendar}: a day trades when the equity session opens on it. */
export function createMarketCalendar(market: Market): TradingCalendar {
  return {
    isTradingDay(date) {
      const day = parseIsoDate(date)
      return day !== undefined && market.calendar.windows('equity', day).length > 0
    },
  }
}
