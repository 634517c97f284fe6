import { describe, expect, it } from 'vitest'
import { dailyCandleTimestamp, formatIsoDate, istMidnightMs, parseIsoDate } from './dates.js'
import { composeBroker } from './define-broker.js'
import { estimateCandles, mergeCandles, planHistoryChunks } from './history.js'
import type { Candle } from './models.js'
import { fromRupees } from './money.js'
import { testContext } from './test-helpers/context.js'
import { createMemoryDriver } from './test-helpers/memory-driver.js'

const sbin = { symbol: 'SBIN', exchange: 'NSE' } as const

function candle(ts: number, close = '100'): Candle {
  const p = fromRupees(Number(close))
  return { timestamp: ts, open: p, high: p, low: p, close: p, volume: 1, oi: 0 }
}

// one daily candle per day of the chunk, in the §1.3.11 convention
function dailyCandles(from: string, to: string): Candle[] {
  const out: Candle[] = []
  for (let d = parseIsoDate(from)!; d <= parseIsoDate(to)!; d += 1)
    out.push(candle(dailyCandleTimestamp(d)))
  return out
}

describe('history chunking', () => {
  it('plans consecutive, non-overlapping chunks that cover the range', () => {
    const chunks = planHistoryChunks(parseIsoDate('2025-01-01')!, parseIsoDate('2025-03-15')!, 30)
    expect(chunks).toEqual([
      { from: '2025-01-01', to: '2025-01-30' },
      { from: '2025-01-31', to: '2025-03-01' },
      { from: '2025-03-02', to: '2025-03-15' },
    ])
    expect(planHistoryChunks(10, 12, undefined)).toEqual([
      { from: formatIsoDate(10), to: formatIsoDate(12) },
    ])
  })

  it('requests a long 1m range chunk by chunk and merges the candles once each, ascending', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver({
      // each chunk returns its first day plus a candle the next chunk repeats (overlap at the seam)
      history: (from, to) => [
        candle(dailyCandleTimestamp(parseIsoDate(to)!)),
        candle(dailyCandleTimestamp(parseIsoDate(from)!)),
      ],
    })
    const result = await composeBroker(manifest, driver, ctx).marketData.history(
      sbin,
      '1m',
      '2025-01-01',
      '2025-03-15',
    )
    expect(state.historyCalls).toHaveLength(3)
    if (!result.ok) throw result.error
    const ts = result.value.map((c) => c.timestamp)
    expect(ts).toEqual([...new Set(ts)].sort((a, b) => a - b))
  })

  it('uses the broker daily convention: 00:00 UTC of the IST date, in seconds', async () => {
    const { ctx, manifest } = testContext()
    const { driver } = createMemoryDriver({ history: dailyCandles })
    const result = await composeBroker(manifest, driver, ctx).marketData.history(
      sbin,
      'D',
      '2025-04-01',
      '2025-04-03',
    )
    expect(result.ok && result.value.map((c) => c.timestamp)).toEqual([
      1743465600, 1743552000, 1743638400,
    ])
    expect(istMidnightMs(parseIsoDate('2025-04-01')!)).toBe(Date.parse('2025-04-01T00:00:00+05:30'))
  })

  it('refuses a 10-year 1m request instead of trying to hold it in memory', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    const result = await composeBroker(manifest, driver, ctx).marketData.history(
      sbin,
      '1m',
      '2015-01-01',
      '2024-12-31',
    )
    expect(state.historyCalls).toEqual([])
    expect(!result.ok && result.error.code).toBe('invalid_input')
    expect(!result.ok && result.error.message).toMatch(
      /over the limit of 50000; request at most 133 days/,
    )
  })

  it('clamps the start forward when asked, keeping the newest candles', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    const result = await composeBroker(manifest, driver, ctx).marketData.history(
      sbin,
      '1m',
      '2015-01-01',
      '2024-12-31',
      {
        clamp: true,
      },
    )
    expect(result.ok).toBe(true)
    expect(state.historyCalls[0]?.from).toBe(formatIsoDate(parseIsoDate('2024-12-31')! - 132))
    expect(state.historyCalls.at(-1)?.to).toBe('2024-12-31')
  })

  it('refuses intervals the broker does not advertise, listing the ones it does', async () => {
    const { ctx, manifest } = testContext()
    const { driver } = createMemoryDriver()
    const result = await composeBroker(manifest, driver, ctx).marketData.history(
      sbin,
      '1s',
      '2025-01-01',
      '2025-01-02',
    )
    expect(!result.ok && result.error.message).toBe(
      "Unsupported interval '1s'. Supported intervals: 1m, D",
    )
    expect(!result.ok && result.error.code).toBe('not_supported')
  })

  it('refuses impossible or reversed dates', async () => {
    const { ctx, manifest } = testContext()
    const broker = composeBroker(manifest, createMemoryDriver().driver, ctx)
    expect((await broker.marketData.history(sbin, 'D', '2025-02-30', '2025-03-01')).ok).toBe(false)
    expect((await broker.marketData.history(sbin, 'D', '2025-03-02', '2025-03-01')).ok).toBe(false)
  })

  it('estimates candles per exchange session, generously', () => {
    expect(estimateCandles('1m', 'NSE', 1)).toBe(375)
    expect(estimateCandles('1m', 'MCX', 1)).toBe(900)
    expect(estimateCandles('D', 'NSE', 10)).toBe(10)
    expect(estimateCandles('W', 'NSE', 14)).toBe(2)
  })

  it('keeps the later chunk on a duplicate timestamp', () => {
    expect(mergeCandles([[candle(2, '1'), candle(1, '1')], [candle(2, '2')]])).toEqual([
      candle(1, '1'),
      candle(2, '2'),
    ])
  })
})
