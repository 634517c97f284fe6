/**
 * Streaming ticks: each subscribed instrument ticks `ticksPerSecond` times a second, the
 * instruments of one period staggered evenly across it, so ticks come out in time order. A tick is
 * the market's state at its instant (the same numbers a quote at that instant gives), in the
 * canonical shape of streaming.md §1.6 for mode 1 (LTP), 2 (Quote) or 3 (Depth). Instruments whose
 * market is closed do not tick; a wholly closed stretch is skipped in one jump.
 */
import type { Instrument, Market, Snapshot } from './market.js'
import type { SessionFamily } from './sessions.js'
import type { Tick, TickMode } from './types.js'

/** Options of {@link createTickGenerator}. */
export interface TickGeneratorOptions {
  /** ticks per second per instrument; default 4 */
  ticksPerSecond?: number
  /** instant of the first tick period, epoch ms */
  startMs: number
}

/** A deterministic source of ticks for a changing set of subscriptions. */
export interface TickGenerator {
  /** Subscribes an instrument at a mode, or changes its mode. */
  set(instrument: Instrument, mode: TickMode): void
  /** Unsubscribes an instrument; a no-op when it is not subscribed. */
  remove(instrument: Instrument): void
  /** Unsubscribes everything. */
  clear(): void
  /** number of subscribed instruments */
  readonly size: number
  /** instant up to which ticks have been produced, epoch ms */
  readonly cursorMs: number
  /** Emits every tick with an instant in (cursorMs, untilMs], in time order; returns how many. */
  advanceTo(untilMs: number, emit: (tick: Tick) => void): number
  /** Emits the next `count` ticks, whatever instants they fall at; returns the last instant. */
  take(count: number, emit: (tick: Tick) => void): number
  /** Moves the cursor forward to `ms` without emitting (a feed that was away does not replay). */
  skipTo(ms: number): void
}

interface Entry {
  instrument: Instrument
  mode: TickMode
  key: string
}

/** A {@link TickGenerator} over a market. */
export function createTickGenerator(market: Market, options: TickGeneratorOptions): TickGenerator {
  const rate = options.ticksPerSecond ?? 4
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new Error(`ticksPerSecond must be a positive number, got ${rate}`)
  }
  const periodMs = 1000 / rate
  const entries: Entry[] = []
  const index = new Map<string, Entry>()
  // the next tick to produce: entry `nextIndex` of period `nextPeriod`
  let nextPeriod = 0
  let nextIndex = 0
  let cursorMs = options.startMs
  const snap: Snapshot = {
    day: 0,
    ltp: 0,
    open: 0,
    high: 0,
    low: 0,
    prevClose: 0,
    volume: 0,
    avgPrice: 0,
    oi: 0,
    trading: false,
  }

  const totals = { buy: 0, sell: 0 }

  const instantOf = (period: number, i: number): number =>
    options.startMs + period * periodMs + (i * periodMs) / Math.max(1, entries.length)

  const build = (e: Entry, t: number): Tick => {
    const inst = e.instrument
    if (e.mode === 1) {
      return {
        symbol: inst.symbol,
        exchange: inst.exchange,
        mode: 1,
        ltp: market.ltp(inst, t),
        exchangeTs: t,
        receivedTs: t,
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
    }
    market.snapshot(inst, t, snap)
    const levels = e.mode === 3 ? market.depthLevels(inst, snap.ltp, t) : undefined
    let buy = 0
    let sell = 0
    if (levels === undefined) {
      market.bookTotals(inst, snap.ltp, t, totals)
      buy = totals.buy
      sell = totals.sell
    } else {
      for (const l of levels.bids) buy += l.quantity
      for (const l of levels.asks) sell += l.quantity
    }
    const change = snap.ltp - snap.prevClose
    const tick: Tick = {
      symbol: inst.symbol,
      exchange: inst.exchange,
      mode: e.mode,
      ltp: snap.ltp,
      exchangeTs: t,
      receivedTs: t,
      lastQty: market.lastTradeQuantity(inst, t),
      avgPrice: snap.avgPrice,
      volume: snap.volume,
      open: snap.open,
      high: snap.high,
      low: snap.low,
      prevClose: snap.prevClose,
      totalBuyQty: buy,
      totalSellQty: sell,
      oi: snap.oi,
      change,
      changePct:
        snap.prevClose > 0 ? Math.round((change / snap.prevClose) * 1_000_000) / 10_000 : 0,
    }
    if (levels !== undefined) {
      tick.depth = { buy: levels.bids, sell: levels.asks }
      tick.depthLevels = 5
    }
    return tick
  }

  // the open window each family was last seen in, so most ticks skip the calendar
  const openUntil = new Map<SessionFamily, { from: number; to: number }>()
  const isOpen = (family: SessionFamily, t: number): boolean => {
    const w = openUntil.get(family)
    if (w !== undefined && t >= w.from && t < w.to) return true
    if (!market.calendar.isOpenAt(family, t)) return false
    const to = market.calendar.nextClose(family, t)
    openUntil.set(family, { from: t, to })
    return true
  }

  /** Whether any subscribed family trades at t; if none does, the next instant one will. */
  const nextTradingInstant = (t: number): number | undefined => {
    let best: number | undefined
    const seen = new Set<SessionFamily>()
    for (const e of entries) {
      if (seen.has(e.instrument.family)) continue
      seen.add(e.instrument.family)
      const open = market.calendar.nextOpen(e.instrument.family, t)
      if (open !== undefined && (best === undefined || open < best)) best = open
      if (best === t) return t
    }
    return best
  }

  /** Moves the cursor to the first period at or after `t`. */
  const seekTo = (t: number): void => {
    const period = Math.ceil((t - options.startMs) / periodMs)
    if (period > nextPeriod) {
      nextPeriod = period
      nextIndex = 0
    }
  }

  const step = (untilMs: number, emit: (tick: Tick) => void, limit: number): number => {
    let emitted = 0
    while (emitted < limit && entries.length > 0) {
      if (nextIndex >= entries.length) {
        nextPeriod++
        nextIndex = 0
      }
      const t = instantOf(nextPeriod, nextIndex)
      if (t > untilMs) break
      if (nextIndex === 0) {
        const open = nextTradingInstant(t)
        if (open === undefined || open > untilMs) {
          cursorMs = untilMs
          seekTo(Math.min(untilMs, open ?? untilMs) + periodMs)
          return emitted
        }
        if (open > t) {
          seekTo(open)
          continue
        }
      }
      const e = entries[nextIndex] as Entry
      nextIndex++
      cursorMs = t
      if (!isOpen(e.instrument.family, t)) continue
      emit(build(e, t))
      emitted++
    }
    return emitted
  }

  return {
    set(instrument, mode) {
      const key = `${instrument.exchange}:${instrument.symbol}`
      const had = index.get(key)
      if (had !== undefined) {
        had.mode = mode
        had.instrument = instrument
        return
      }
      const e: Entry = { instrument, mode, key }
      entries.push(e)
      index.set(key, e)
    },
    remove(instrument) {
      const key = `${instrument.exchange}:${instrument.symbol}`
      const e = index.get(key)
      if (e === undefined) return
      index.delete(key)
      const at = entries.indexOf(e)
      entries.splice(at, 1)
      if (at < nextIndex) nextIndex--
    },
    clear() {
      entries.length = 0
      index.clear()
      nextIndex = 0
    },
    get size() {
      return entries.length
    },
    get cursorMs() {
      return cursorMs
    },
    advanceTo(untilMs, emit) {
      const n = step(untilMs, emit, Number.POSITIVE_INFINITY)
      if (untilMs > cursorMs) cursorMs = untilMs
      return n
    },
    take(count, emit) {
      step(Number.POSITIVE_INFINITY, emit, count)
      return cursorMs
    },
    skipTo(ms) {
      if (ms <= cursorMs) return
      cursorMs = ms
      seekTo(ms + 1)
    },
  }
}
