// Market data services (spec api.md §9.1–9.5, §9.10): quotes, multiquotes, depth, history,
// intervals and the ticker, through the caller's broker. Symbols are checked against the symbol
// cache first, as the original checks its master contract, so an unknown symbol is a 400 that
// never reaches a broker.
import {
  groupIntervals,
  symbolNotFoundMessage,
  toWireCandle,
  toWireDepth,
  toWireMultiQuoteItem,
  toWireQuote,
  type Broker,
  type Candle,
  type Exchange,
  type Interval,
  type InstrumentRef,
} from '@oa/broker-sdk'
import type { SymbolCache } from '@oa/symbol-cache'
import type { BrokerRegistry } from '../brokers/registry.js'
import {
  brokerFailure,
  failure,
  lookupFailure,
  success,
  type ServiceCaller,
  type ServiceReply,
} from './reply.js'

export interface SymbolRef {
  readonly symbol: string
  readonly exchange: string
}

export interface HistoryInput extends SymbolRef {
  readonly interval: string
  /** `YYYY-MM-DD` */
  readonly startDate: string
  readonly endDate: string
  /** `api` (the broker) or `db` (the local Historify store) */
  readonly source: 'api' | 'db'
}

/** What the ticker answers before formatting (JSON or Amibroker text). */
export type TickerResult =
  | { readonly ok: true; readonly candles: readonly Candle[] }
  | { readonly ok: false; readonly reply: ServiceReply }

export interface MarketDataService {
  quotes(caller: ServiceCaller, input: SymbolRef): Promise<ServiceReply>
  multiquotes(
    caller: ServiceCaller,
    input: { readonly symbols: readonly SymbolRef[] },
  ): Promise<ServiceReply>
  depth(caller: ServiceCaller, input: SymbolRef): Promise<ServiceReply>
  history(caller: ServiceCaller, input: HistoryInput): Promise<ServiceReply>
  intervals(caller: ServiceCaller): Promise<ServiceReply>
  /**
   * Candles for the ticker (§9.10): the range silently clamped as the original does (10 years
   * back from `to` for D/W/M, 30 days otherwise), then chunked by the SDK.
   */
  ticker(caller: ServiceCaller, input: Omit<HistoryInput, 'source'>): Promise<TickerResult>
}

const DAY_MS = 86_400_000

export function createMarketDataService(deps: {
  readonly cache: SymbolCache
  readonly brokers: BrokerRegistry
}): MarketDataService {
  const { cache, brokers } = deps

  /** the caller's broker, or a reply saying why not */
  const brokerOf = (caller: ServiceCaller): Broker | ServiceReply => {
    const lookup = brokers.forUser(caller.username, caller.broker, caller.trace)
    return lookup.ok ? lookup.broker : lookupFailure(lookup)
  }
  const isReply = (v: Broker | ServiceReply): v is ServiceReply => 'status' in v && 'body' in v
  const ref = (input: SymbolRef): InstrumentRef => ({
    symbol: input.symbol,
    exchange: input.exchange as Exchange,
  })
  const known = (input: SymbolRef): boolean =>
    cache.getToken(input.symbol, input.exchange) !== undefined
  const notFound = (input: SymbolRef): ServiceReply =>
    failure(400, symbolNotFoundMessage(ref(input)))

  const candles = async (
    broker: Broker,
    input: Omit<HistoryInput, 'source'>,
    clamp: boolean,
  ): Promise<TickerResult> => {
    const interval = input.interval as Interval
    if (!broker.marketData.intervals().includes(interval)) {
      const supported = broker.marketData.intervals().join(', ')
      return {
        ok: false,
        reply: failure(
          400,
          `Unsupported interval '${input.interval}'. Supported intervals: ${supported}`,
        ),
      }
    }
    const result = await broker.marketData.history(
      ref(input),
      interval,
      input.startDate,
      input.endDate,
      { clamp },
    )
    return result.ok
      ? { ok: true, candles: result.value }
      : { ok: false, reply: brokerFailure(result.error) }
  }

  return {
    async quotes(caller, input) {
      if (!known(input)) return notFound(input)
      const broker = brokerOf(caller)
      if (isReply(broker)) return broker
      const result = await broker.marketData.quote(ref(input))
      return result.ok ? success({ data: toWireQuote(result.value) }) : brokerFailure(result.error)
    },

    async multiquotes(caller, input) {
      // invalid symbols are reported inline, before the valid results (api.md §9.2)
      const invalid: Record<string, unknown>[] = []
      const valid: InstrumentRef[] = []
      for (const item of input.symbols) {
        if (known(item)) valid.push(ref(item))
        else
          invalid.push({
            symbol: item.symbol,
            exchange: item.exchange,
            error: symbolNotFoundMessage(ref(item)),
          })
      }
      if (valid.length === 0) {
        return failure(400, String(invalid[0]?.['error'] ?? 'No valid symbols provided'), {
          invalid_symbols: invalid,
        })
      }
      const broker = brokerOf(caller)
      if (isReply(broker)) return broker
      const items = await broker.marketData.quotes(valid)
      return success({ results: [...invalid, ...items.map(toWireMultiQuoteItem)] })
    },

    async depth(caller, input) {
      if (!known(input)) return notFound(input)
      const broker = brokerOf(caller)
      if (isReply(broker)) return broker
      const result = await broker.marketData.depth(ref(input))
      return result.ok ? success({ data: toWireDepth(result.value) }) : brokerFailure(result.error)
    },

    async history(caller, input) {
      if (input.source === 'db') {
        // there is no local Historify store yet: the original's answer for an empty one
        return failure(
          404,
          `No data found for ${input.symbol}:${input.exchange} interval ${input.interval} in local database. Download data first using Historify.`,
        )
      }
      if (!known(input)) return notFound(input)
      if (input.startDate > input.endDate) {
        return failure(400, `start_date ${input.startDate} is after end_date ${input.endDate}`)
      }
      const broker = brokerOf(caller)
      if (isReply(broker)) return broker
      // no clamp: a range too large to hold is refused with the largest range that fits (never OOM)
      const result = await candles(broker, input, false)
      return result.ok ? success({ data: result.candles.map(toWireCandle) }) : result.reply
    },

    async intervals(caller) {
      const broker = brokerOf(caller)
      if (isReply(broker)) return broker
      const groups = groupIntervals(broker.marketData.intervals())
      const byNumber = (list: readonly string[]): string[] =>
        [...list].sort((a, b) => (Number.parseInt(a, 10) || 0) - (Number.parseInt(b, 10) || 0))
      return success({
        data: {
          seconds: byNumber(groups.seconds),
          minutes: byNumber(groups.minutes),
          hours: byNumber(groups.hours),
          days: groups.days.filter((i) => i === 'D'),
          weeks: groups.weeks.filter((i) => i === 'W'),
          months: groups.months.filter((i) => i === 'M'),
        },
      })
    },

    async ticker(caller, input) {
      if (!known(input)) return { ok: false, reply: notFound(input) }
      const broker = brokerOf(caller)
      if (isReply(broker)) return { ok: false, reply: broker }
      const maxDays = ['D', 'W', 'M'].includes(input.interval) ? 10 * 365 : 30
      const earliest = new Date(Date.parse(`${input.endDate}T00:00:00Z`) - maxDays * DAY_MS)
        .toISOString()
        .slice(0, 10)
      const startDate = input.startDate < earliest ? earliest : input.startDate
      if (startDate > input.endDate) {
        return {
          ok: false,
          reply: failure(400, `from ${input.startDate} is after to ${input.endDate}`),
        }
      }
      return candles(broker, { ...input, startDate }, true)
    },
  }
}
