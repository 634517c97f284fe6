import { type Inr4, parseInr4 } from './money.js'
import { parseHhMm } from './time.js'

/** Cash-equity exchanges (CNC and MIS). */
export const EQUITY_EXCHANGES: readonly string[] = ['NSE', 'BSE']
/** Derivative exchanges (NRML and MIS; CNC is refused there, sandbox.md §5 step 1). */
export const DERIVATIVE_EXCHANGES: readonly string[] = [
  'NFO',
  'BFO',
  'CDS',
  'BCD',
  'MCX',
  'NCDEX',
  'NCO',
  'CRYPTO',
]

/** SPAN-like margin rates in basis points (1 bp = 0.01 %) of the underlying's notional. */
export interface MarginRate {
  /** worst-case-loss ("SPAN") margin, bps of underlying notional */
  readonly spanBps: number
  /** exposure margin charged on every short option and future, bps of underlying notional */
  readonly exposureBps: number
}

/** Weekday names for the periodic funds reset, or `Never`. */
export type ResetDay =
  'Never' | 'Sunday' | 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday'

/** Engine settings; every field has a default (sandbox.md §3), so pass only what differs. */
export interface SandboxConfig {
  /** virtual money each account starts with and returns to at a reset; default ₹1,00,00,000 */
  readonly startingCapital: Inr4
  /** cash-equity MIS leverage, integer 1–50; default 5 (margin = value / 5) */
  readonly equityMisLeverage: number
  /** cash-equity CNC leverage, integer 1–50; default 1 (full value) */
  readonly equityCncLeverage: number
  /**
   * SPAN + exposure rates for futures and short options, keyed `EXCH:index`, `EXCH:stock`,
   * `EXCH` or `default` (first match wins). Overrides merge key by key with the defaults.
   */
  readonly marginRates: Readonly<Record<string, MarginRate>>
  /** cap the margin of hedged legs at the hedge's maximum loss; default true */
  readonly hedgeBenefit: boolean
  /** MIS cut-off per exchange, `HH:MM` IST (sandbox.md §3); exchanges absent here have none */
  readonly squareOffTimes: Readonly<Record<string, string>>
  /** MIS orders that open risk are refused before this time, `HH:MM` IST; default 09:00 */
  readonly misOpenTime: string
  /**
   * refuse MIS orders that open risk outside `misOpenTime`–cut-off and on non-trading days
   * (`market_closed`); default true. Square-off runs either way.
   */
  readonly enforceMisWindow: boolean
  /** close per exchange (`default` for the rest): expiry settlement and DAY-order expiry */
  readonly exchangeCloseTimes: Readonly<Record<string, string>>
  /** cancel resting CNC/NRML orders at their exchange's close (DAY validity); default true */
  readonly dayOrderExpiry: boolean
  /** weekday of the automatic funds reset; default `Never` */
  readonly resetDay: ResetDay
  /** time of the automatic reset, `HH:MM` IST; default 00:00 */
  readonly resetTime: string
  /** trading-session boundary for "today's" realized PnL and the order book, `HH:MM` IST; 03:00 */
  readonly sessionBoundary: string
  /** settle expired F&O at the expiry day's close or the next day; default `expiry_day_close` */
  readonly expirySettlementTiming: 'expiry_day_close' | 'next_day'
  /**
   * option settlement price: last known price (`ltp`, default, as the original), `zero`, or
   * `intrinsic` value from the underlying's last known price (falls back to `ltp`)
   */
  readonly optionExpirySettlement: 'ltp' | 'zero' | 'intrinsic'
  /** quotes older than this (by `Quote.atMs`) never fill; null disables; default null */
  readonly maxQuoteAgeMs: number | null
  /** most orders one split order may create; default 100 */
  readonly maxSplitOrders: number
}

/** The defaults of sandbox.md §3 plus the margin model's rates (README "Margin model"). */
export const defaultSandboxConfig: SandboxConfig = {
  startingCapital: parseInr4('10000000'),
  equityMisLeverage: 5,
  equityCncLeverage: 1,
  marginRates: {
    'NFO:index': { spanBps: 900, exposureBps: 200 },
    'NFO:stock': { spanBps: 1500, exposureBps: 350 },
    'BFO:index': { spanBps: 900, exposureBps: 200 },
    'BFO:stock': { spanBps: 1500, exposureBps: 350 },
    CDS: { spanBps: 300, exposureBps: 100 },
    BCD: { spanBps: 300, exposureBps: 100 },
    MCX: { spanBps: 1000, exposureBps: 100 },
    NCO: { spanBps: 1000, exposureBps: 100 },
    NCDEX: { spanBps: 1000, exposureBps: 200 },
    CRYPTO: { spanBps: 1000, exposureBps: 0 },
    default: { spanBps: 1200, exposureBps: 300 },
  },
  hedgeBenefit: true,
  squareOffTimes: {
    NSE: '15:15',
    BSE: '15:15',
    NFO: '15:15',
    BFO: '15:15',
    CDS: '16:45',
    BCD: '16:45',
    MCX: '23:30',
    NCDEX: '17:00',
  },
  misOpenTime: '09:00',
  enforceMisWindow: true,
  exchangeCloseTimes: {
    NFO: '15:40',
    BFO: '15:40',
    CDS: '17:00',
    BCD: '17:00',
    MCX: '23:30',
    NCO: '23:30',
    NCDEX: '17:00',
    default: '15:30',
  },
  dayOrderExpiry: true,
  resetDay: 'Never',
  resetTime: '00:00',
  sessionBoundary: '03:00',
  expirySettlementTiming: 'expiry_day_close',
  optionExpirySettlement: 'ltp',
  maxQuoteAgeMs: null,
  maxSplitOrders: 100,
}

/** Config overrides: any subset, with the record fields merged key by key. */
export type SandboxConfigInput = Partial<SandboxConfig>

/** The config with times parsed to minutes since midnight; internal. */
export interface ResolvedConfig extends SandboxConfig {
  readonly squareOffMinutes: ReadonlyMap<string, number>
  readonly closeMinutes: ReadonlyMap<string, number>
  readonly misOpenMinute: number
  readonly resetMinute: number
  readonly resetWeekday: number | null
  readonly sessionMinute: number
}

const WEEKDAYS: readonly ResetDay[] = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
]

/**
 * Merges overrides with the defaults and validates them.
 *
 * @throws Error naming the first bad field (config is programmer input, checked once at start).
 */
export function resolveConfig(input: SandboxConfigInput = {}): ResolvedConfig {
  const c: SandboxConfig = {
    ...defaultSandboxConfig,
    ...input,
    marginRates: { ...defaultSandboxConfig.marginRates, ...input.marginRates },
    squareOffTimes: { ...defaultSandboxConfig.squareOffTimes, ...input.squareOffTimes },
    exchangeCloseTimes: { ...defaultSandboxConfig.exchangeCloseTimes, ...input.exchangeCloseTimes },
  }
  if (!Number.isSafeInteger(c.startingCapital) || c.startingCapital <= 0) {
    throw new Error(`startingCapital must be a positive Inr4 amount, got ${c.startingCapital}`)
  }
  for (const k of ['equityMisLeverage', 'equityCncLeverage'] as const) {
    const v = c[k]
    if (!Number.isInteger(v) || v < 1 || v > 50) {
      throw new Error(`${k} must be an integer from 1 to 50, got ${v}`)
    }
  }
  for (const [k, r] of Object.entries(c.marginRates)) {
    for (const v of [r.spanBps, r.exposureBps]) {
      if (!Number.isInteger(v) || v < 0 || v > 10_000) {
        throw new Error(`marginRates.${k} must hold integer bps from 0 to 10000, got ${v}`)
      }
    }
  }
  if (!('default' in c.marginRates)) throw new Error('marginRates needs a "default" entry')
  if (!Number.isInteger(c.maxSplitOrders) || c.maxSplitOrders < 1) {
    throw new Error(`maxSplitOrders must be a positive integer, got ${c.maxSplitOrders}`)
  }
  if (c.maxQuoteAgeMs !== null && !(c.maxQuoteAgeMs >= 0)) {
    throw new Error(`maxQuoteAgeMs must be null or ≥ 0, got ${c.maxQuoteAgeMs}`)
  }
  if (c.resetDay !== 'Never' && !WEEKDAYS.includes(c.resetDay)) {
    throw new Error(`resetDay must be a weekday name or Never, got ${String(c.resetDay)}`)
  }
  const minutes = (rec: Readonly<Record<string, string>>, field: string): Map<string, number> =>
    new Map(
      Object.entries(rec).map(([k, v]) => {
        try {
          return [k, parseHhMm(v)]
        } catch (e) {
          throw new Error(`${field}.${k}: ${(e as Error).message}`)
        }
      }),
    )
  return {
    ...c,
    squareOffMinutes: minutes(c.squareOffTimes, 'squareOffTimes'),
    closeMinutes: minutes(c.exchangeCloseTimes, 'exchangeCloseTimes'),
    misOpenMinute: parseHhMm(c.misOpenTime),
    resetMinute: parseHhMm(c.resetTime),
    resetWeekday: c.resetDay === 'Never' ? null : WEEKDAYS.indexOf(c.resetDay),
    sessionMinute: parseHhMm(c.sessionBoundary),
  }
}

/** Close time of an exchange in minutes since IST midnight. */
export function closeMinuteOf(config: ResolvedConfig, exchange: string): number {
  return config.closeMinutes.get(exchange) ?? config.closeMinutes.get('default') ?? 15 * 60 + 30
}
