import type { Logger } from './deps.js'
import { formatIsoDate, parseIsoDate } from './dates.js'
import type { DayNumber } from './dates.js'
import { intervalSeconds } from './enums.js'
import type { Exchange, Interval } from './enums.js'
import { BrokerError } from './errors.js'
import type { BrokerManifest } from './manifest.js'
import type { Candle, InstrumentRef } from './models.js'
import { err, ok } from './result.js'
import type { Result } from './result.js'

/** One request's date range, inclusive IST dates as `YYYY-MM-DD`. */
export interface HistoryChunk {
  from: string
  to: string
}

/**
 * Splits `from..to` (inclusive day numbers) into consecutive, non-overlapping chunks of at most
 * `chunkDays` days; one chunk when `chunkDays` is undefined.
 */
export function planHistoryChunks(
  fromDay: DayNumber,
  toDay: DayNumber,
  chunkDays: number | undefined,
): HistoryChunk[] {
  if (toDay < fromDay) return []
  if (chunkDays === undefined) return [{ from: formatIsoDate(fromDay), to: formatIsoDate(toDay) }]
  const chunks: HistoryChunk[] = []
  for (let start = fromDay; start <= toDay; start += chunkDays) {
    chunks.push({
      from: formatIsoDate(start),
      to: formatIsoDate(Math.min(toDay, start + chunkDays - 1)),
    })
  }
  return chunks
}

/** Trading minutes in one day, generously, per exchange (estimates only). */
function sessionMinutes(exchange: Exchange): number {
  switch (exchange) {
    case 'MCX':
    case 'NCO':
    case 'NCDEX':
    case 'MCX_INDEX':
      return 900
    case 'CDS':
    case 'BCD':
      return 480
    case 'GLOBAL_INDEX':
    case 'CRYPTO':
      return 1440
    default:
      return 375
  }
}

/**
 * An upper estimate of candles in `days` calendar days (weekends counted as sessions), used to
 * refuse requests that would not fit in memory.
 */
export function estimateCandles(interval: Interval, exchange: Exchange, days: number): number {
  const seconds = intervalSeconds(interval)
  if (seconds >= 86_400) return Math.ceil((days * 86_400) / seconds)
  return days * Math.ceil((sessionMinutes(exchange) * 60) / seconds)
}

/**
 * Merges chunk results: one candle per timestamp (a later chunk wins on overlap, since it was
 * fetched later), ascending.
 */
export function mergeCandles(chunks: readonly (readonly Candle[])[]): Candle[] {
  const byTs = new Map<number, Candle>()
  for (const chunk of chunks) for (const candle of chunk) byTs.set(candle.timestamp, candle)
  return [...byTs.values()].sort((a, b) => a.timestamp - b.timestamp)
}

/** What {@link fetchHistory} needs. */
export interface HistoryDeps {
  manifest: Pick<BrokerManifest, 'id' | 'intervals' | 'historyChunkDays' | 'historyMaxCandles'>
  fetchChunk(
    ref: InstrumentRef,
    interval: Interval,
    from: string,
    to: string,
  ): Promise<Result<Candle[]>>
  logger: Logger
}

/**
 * History with chunking (brokers.md §1.3.11, §4 row 13): validates the interval and dates, bounds
 * the range by `historyMaxCandles` (refuse, or clamp `from` forward with `clamp: true`), fetches
 * chunks one after another (the rate limiter paces them), then merges and dedupes.
 *
 * Errors: `not_supported` for an interval the broker does not advertise; `invalid_input` for bad
 * dates or a range too large; the first failing chunk's error otherwise.
 */
export async function fetchHistory(
  deps: HistoryDeps,
  ref: InstrumentRef,
  interval: Interval,
  from: string,
  to: string,
  options: { clamp?: boolean } = {},
): Promise<Result<Candle[]>> {
  const { manifest } = deps
  if (!manifest.intervals.includes(interval)) {
    return err(
      new BrokerError(
        'not_supported',
        `Unsupported interval '${interval}'. Supported intervals: ${manifest.intervals.join(', ')}`,
      ),
    )
  }
  const fromDay = parseIsoDate(from)
  const toDay = parseIsoDate(to)
  if (fromDay === undefined || toDay === undefined) {
    return err(
      new BrokerError('invalid_input', `dates must be YYYY-MM-DD, got "${from}" and "${to}"`),
    )
  }
  if (toDay < fromDay) {
    return err(new BrokerError('invalid_input', `start date ${from} is after end date ${to}`))
  }
  let startDay = fromDay
  const days = toDay - fromDay + 1
  const estimate = estimateCandles(interval, ref.exchange, days)
  if (estimate > manifest.historyMaxCandles) {
    const perDay = Math.max(1, estimateCandles(interval, ref.exchange, 1))
    const maxDays = Math.max(1, Math.floor(manifest.historyMaxCandles / perDay))
    if (options.clamp !== true) {
      return err(
        new BrokerError(
          'invalid_input',
          `${from}..${to} at ${interval} is about ${estimate} candles, over the limit of ${manifest.historyMaxCandles}; request at most ${maxDays} days at a time`,
        ),
      )
    }
    startDay = toDay - maxDays + 1
  }
  const chunks = planHistoryChunks(startDay, toDay, manifest.historyChunkDays[interval])
  const results: Candle[][] = []
  for (const chunk of chunks) {
    const result = await deps.fetchChunk(ref, interval, chunk.from, chunk.to)
    if (!result.ok) {
      deps.logger.warn(
        {
          broker: manifest.id,
          symbol: ref.symbol,
          exchange: ref.exchange,
          interval,
          chunk,
          code: result.error.code,
        },
        'history chunk failed',
      )
      return result
    }
    results.push(result.value)
  }
  return ok(mergeCandles(results))
}
