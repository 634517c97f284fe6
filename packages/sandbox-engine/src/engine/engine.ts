import {
  closeMinuteOf,
  type ResolvedConfig,
  resolveConfig,
  type SandboxConfigInput,
} from '../config.js'
import { SandboxError } from '../errors.js'
import { KeyedQueue } from '../keyed-queue.js'
import { OrderIndex, type RestingSide } from '../ladder.js'
import {
  applyCv,
  contractValueE4,
  equityLeverage,
  equityMargin,
  groupMargin,
  type MarginLeg,
  marginGroupKey,
  marginRateFor,
} from '../margin.js'
import { formatInr4, type Inr4, notional } from '../money.js'
import {
  createCountingIds,
  type IdSource,
  type InstrumentInfo,
  type InstrumentSource,
  type Logger,
  type PriceSource,
  type Quote,
  silentLogger,
} from '../ports.js'
import { holdingKey, positionKey, type SandboxStore, type UserSnapshot } from '../store/store.js'
import {
  addDays,
  type Clock,
  formatHhMm,
  istDate,
  istInstant,
  type IstParts,
  istParts,
  nextTradingDay,
  type TradingCalendar,
  weekdayCalendar,
  weekdayOf,
} from '../time.js'
import type { Funds, Order, OrderRequest, OrderResult, Position, Product, Trade } from '../types.js'
import { DueQueue } from './due-queue.js'
import { type CommitScheduler, commitNow, createGroupCommitter } from './group-commit.js'
import { averagePrice, netFill, proRata } from './netting.js'
import { isActive, Tx, type UserState } from './state.js'
import { checkPrices, checkQuantity, checkRequest, isEquityExchange } from './validate.js'
import type {
  BasketLegResult,
  CancelAllResult,
  CloseAllResult,
  DueReport,
  FundsAudit,
  FundsView,
  HoldingsView,
  HoldingView,
  MarginEstimate,
  MarginEstimateResult,
  PositionView,
  SmartOrderResult,
  SplitChunkResult,
  SplitOrderResult,
} from './views.js'

/** What the engine is built from; everything that reads time, prices or disk is injected. */
export interface SandboxEngineDeps {
  readonly clock: Clock
  readonly prices: PriceSource
  readonly instruments: InstrumentSource
  readonly store: SandboxStore
  /** order-id sequences; default: counting per day, resumed from the store */
  readonly ids?: IdSource | undefined
  /** overrides of `defaultSandboxConfig` */
  readonly config?: SandboxConfigInput | undefined
  /** default: silent */
  readonly logger?: Logger | undefined
  /** trading days; default Monday–Friday */
  readonly calendar?: TradingCalendar | undefined
  /**
   * When staged changes are written. Default: a microtask, so each command commits on its own
   * right away. A server under load passes `(flush) => setImmediate(flush)`: the commands of one
   * event-loop turn then share one store transaction (`SandboxStore.commitAll`), and each still
   * resolves only after its own changes are committed.
   */
  readonly scheduleCommit?: CommitScheduler | undefined
}

/** Changes a resting order may receive (other fields cannot change, as at a broker). */
export interface OrderChanges {
  readonly quantity?: number | undefined
  readonly price?: Inr4 | undefined
  readonly triggerPrice?: Inr4 | undefined
}

/** A smart order: reach `positionSize` (signed) for the symbol/exchange/product. */
export interface SmartOrderRequest extends OrderRequest {
  /** target net quantity: positive long, negative short, 0 flat */
  readonly positionSize: number
}

/**
 * The paper-trading engine. Commands return results (`{ ok: false, error }` for refusals, never
 * thrown); a thrown `Error` means a broken invariant or a failing store. Every command on a user
 * runs after that user's earlier commands, fills and jobs (per-user serialisation), and
 * resolves only after its effects are committed to the store.
 */
export interface SandboxEngine {
  /**
   * Loads every account from the store, rebuilds the order index and runs what is due (catch-up
   * after downtime). Called implicitly by the first command; call it yourself to see the report.
   */
  start(): Promise<DueReport>
  /** Places an order (sandbox.md §5, with the fixes of §16). */
  placeOrder(userId: string, req: OrderRequest): Promise<OrderResult>
  /** Changes quantity, limit or trigger of a resting order; re-margins and re-matches it. */
  modifyOrder(userId: string, orderId: string, changes: OrderChanges): Promise<OrderResult>
  /** Cancels a resting order and releases its margin. */
  cancelOrder(userId: string, orderId: string): Promise<OrderResult>
  /** Cancels every resting order of the user, `trigger_pending` included. */
  cancelAllOrders(userId: string): Promise<CancelAllResult>
  /** Squares off one position with a MARKET order (`strategy` default `AUTO_SQUARE_OFF`). */
  closePosition(
    userId: string,
    position: { symbol: string; exchange: string; product: Product; strategy?: string },
  ): Promise<OrderResult>
  /** Squares off every open position. */
  closeAllPositions(userId: string, strategy?: string): Promise<CloseAllResult>
  /** Brings the net position to `positionSize` (api.md §7.2), honouring the requested price type. */
  placeSmartOrder(userId: string, req: SmartOrderRequest): Promise<SmartOrderResult>
  /** Places legs one by one, BUY legs first (api.md §7.3). */
  placeBasketOrder(userId: string, legs: readonly OrderRequest[]): Promise<BasketLegResult[]>
  /** Places `req.quantity` in chunks of `splitSize`, remainder last (api.md §7.4). */
  placeSplitOrder(userId: string, req: OrderRequest, splitSize: number): Promise<SplitOrderResult>
  /** Feeds a price: fills and triggers exactly the resting orders the quote crosses. */
  onPrice(symbol: string, exchange: string, quote: Quote): Promise<Trade[]>
  /** Does everything due at `clock.now()`: matching, square-off, T+1, expiry, DAY expiry, reset. */
  runDue(): Promise<DueReport>
  /** Margin of a basket with the engine's model; with `userId`, incremental to its positions. */
  estimateMargin(
    orders: readonly OrderRequest[],
    options?: { userId?: string },
  ): Promise<MarginEstimateResult>
  /** Adds cash (negative withdraws, at most the available cash). */
  deposit(userId: string, amount: Inr4): Promise<{ ok: true } | { ok: false; error: SandboxError }>
  /** Resets the user's virtual account now (cancels orders, clears positions and holdings). */
  resetAccount(userId: string): Promise<void>
  /** One order by id, any status; undefined when unknown. */
  orderStatus(userId: string, orderId: string): Promise<Order | undefined>
  /** Orders newest first; default: the current session (since the session boundary). */
  orders(userId: string, options?: { sinceMs?: number }): Promise<Order[]>
  /** Trades newest first; default: the current session. */
  trades(userId: string, options?: { sinceMs?: number }): Promise<Trade[]>
  /** Positions open or traded this session, with MTM at current prices. */
  positions(userId: string): Promise<PositionView[]>
  /** Net quantity of one position (0 when none). */
  openPosition(userId: string, symbol: string, exchange: string, product: Product): Promise<number>
  /** Holdings with MTM. */
  holdings(userId: string): Promise<HoldingsView>
  /** The five API fund fields and more, with live MTM. */
  funds(userId: string): Promise<FundsView>
  /** The funds identity terms (tests, health checks). */
  audit(userId: string): Promise<FundsAudit>
  /** Start of the current trading session, epoch ms (the order book's default filter). */
  sessionStartMs(): number
  /** Instruments with resting orders: what a host should stream ticks for (`onPrice`). */
  restingSymbols(): { symbol: string; exchange: string }[]
  /** Waits for queued work, then closes the store. */
  close(): Promise<void>
}

interface Market {
  /** usable quote (positive LTP, not stale), if any */
  readonly quote: Quote | undefined
  /** underlying price for F&O margin, if known */
  readonly u: Inr4 | undefined
}

const MINUTE_MS = 60_000
const noop = (): void => undefined
const byPlacement = (a: Order, b: Order): number =>
  a.placedAtMs - b.placedAtMs || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0)
const ZERO = 0 as Inr4

/**
 * Creates a paper-trading engine over injected clock, prices, instruments and store.
 *
 * @example
 * ```ts
 * const engine = createSandboxEngine({ clock, prices, instruments, store: createMemoryStore() })
 * const r = await engine.placeOrder('alice', { symbol: 'SBIN', exchange: 'NSE', action: 'BUY',
 *   quantity: 10, priceType: 'MARKET', product: 'MIS' })
 * if (r.ok) console.log(r.order.status, await engine.funds('alice'))
 * ```
 * @throws Error when the config is invalid.
 */
export function createSandboxEngine(deps: SandboxEngineDeps): SandboxEngine {
  const config: ResolvedConfig = resolveConfig(deps.config)
  const { clock, prices, instruments, store } = deps
  const ids = deps.ids ?? createCountingIds()
  const log = (deps.logger ?? silentLogger).child({ component: 'sandbox-engine' })
  const calendar = deps.calendar ?? weekdayCalendar
  const states = new Map<string, UserState>()
  const owner = new Map<string, string>()
  const index = new OrderIndex()
  const marks = new Map<string, Inr4>()
  const queue = new KeyedQueue()
  const resumed = new Map<string, Promise<void>>()
  let ready: Promise<DueReport> | undefined
  let started = false
  const resumedDays = new Set<string>()

  // ---- time ---------------------------------------------------------------------------------

  const sessionOf = (now: number): string => istDate(now - config.sessionMinute * MINUTE_MS)
  const sessionStartMs = (): number => istInstant(sessionOf(clock.now()), config.sessionMinute)

  /** IST facts of the current minute, computed once per minute (the hot path reads them often) */
  interface MinuteFacts {
    readonly minute: number
    readonly parts: IstParts
    readonly session: string
    readonly tradingDay: boolean
  }
  let facts: MinuteFacts = { minute: NaN, parts: istParts(0), session: '', tradingDay: false }
  const factsAt = (now: number): MinuteFacts => {
    const minute = Math.floor(now / MINUTE_MS)
    if (minute !== facts.minute) {
      const parts = istParts(now)
      facts = {
        minute,
        parts,
        session: sessionOf(now),
        tradingDay: calendar.isTradingDay(parts.date),
      }
    }
    return facts
  }
  const newTx = (s: UserState): Tx => {
    const now = clock.now()
    const f = factsAt(now)
    return new Tx(s, now, f.session, f.parts.date)
  }

  const resetInstants = (now: number): { last: number; next: number } => {
    const wd = config.resetWeekday
    if (wd === null) return { last: -Infinity, next: Infinity }
    const today = istDate(now)
    let last = -Infinity
    let next = Infinity
    for (let k = -7; k <= 7; k++) {
      const d = addDays(today, k)
      if (weekdayOf(d) !== wd) continue
      const t = istInstant(d, config.resetMinute)
      if (t <= now) last = Math.max(last, t)
      else next = Math.min(next, t)
    }
    return { last, next }
  }

  /** MIS may open risk on `exchange` now (sandbox.md §5 step 5; weekends/holidays closed) */
  const misWindowOpen = (now: number, exchange: string): boolean => {
    const cutoff = config.squareOffMinutes.get(exchange)
    if (cutoff === undefined || !config.enforceMisWindow) return true
    const f = factsAt(now)
    return (
      f.tradingDay && f.parts.minuteOfDay >= config.misOpenMinute && f.parts.minuteOfDay < cutoff
    )
  }

  // ---- ids ----------------------------------------------------------------------------------

  const ensureResumed = (yymmdd: string): Promise<void> | undefined => {
    if (resumedDays.has(yymmdd)) return undefined
    let p = resumed.get(yymmdd)
    if (!p) {
      p = store.maxOrderSeq(yymmdd).then((last) => {
        ids.resume?.(yymmdd, last)
        resumedDays.add(yymmdd)
      })
      resumed.set(yymmdd, p)
    }
    return p
  }
  const newOrderId = (now: number): string => {
    const day = factsAt(now).parts.yymmdd
    const seq = ids.nextOrderSeq(day)
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > 99_999_999) {
      throw new Error(`order sequence out of range for ${day}: ${seq}`)
    }
    return `${day}${String(seq).padStart(8, '0')}`
  }

  // ---- state --------------------------------------------------------------------------------

  const freshFunds = (userId: string, now: number): Funds => ({
    userId,
    startingCapital: config.startingCapital,
    deposits: ZERO,
    available: config.startingCapital,
    utilised: ZERO,
    holdingsCost: ZERO,
    realizedPnl: ZERO,
    sessionRealizedPnl: ZERO,
    session: sessionOf(now),
    lastResetAtMs: now,
    resetCount: 0,
    createdAtMs: now,
    updatedAtMs: now,
  })

  const install = (userId: string, snap: UserSnapshot): UserState => {
    const s: UserState = {
      userId,
      funds: snap.funds ?? freshFunds(userId, clock.now()),
      positions: new Map(
        snap.positions.map((p) => [positionKey(p.symbol, p.exchange, p.product), p]),
      ),
      holdings: new Map(snap.holdings.map((h) => [holdingKey(h.symbol, h.exchange), h])),
      groups: new Map(snap.marginGroups.map((g) => [g.groupKey, g])),
      active: new Map(snap.activeOrders.map((o) => [o.orderId, o])),
      due: new DueQueue(),
      jobKeys: new Set(snap.jobKeys),
      housekeptDay: '',
      nextResetAtMs: -Infinity,
    }
    for (const o of s.active.values()) {
      indexOrder(o)
      s.due.add(o.orderId, dueAtOf(o))
    }
    states.set(userId, s)
    return s
  }

  const stateOf = async (userId: string): Promise<UserState> => {
    const s = states.get(userId)
    if (s) return s
    return install(userId, await store.loadUser(userId))
  }

  /** forgets a user's live state after a failed commit; the next command reloads it */
  const drop = (userId: string): void => {
    states.delete(userId)
    for (const [id, u] of owner) {
      if (u === userId) {
        index.remove(id)
        owner.delete(id)
      }
    }
  }

  const committer = createGroupCommitter({
    store,
    schedule: deps.scheduleCommit ?? commitNow,
    onFailed: (userId, error) => {
      if (states.has(userId)) {
        drop(userId)
        log.error({ userId, err: error }, 'sandbox commit failed; state reloaded')
      }
    },
  })
  /** the newest staged, not yet settled commit of each user */
  const lastStaged = new Map<string, Promise<void>>()
  /** orders with an idempotency key whose commit is still pending, by user and key */
  const pendingKeys = new Map<string, { order: Order; durable: Promise<void> }>()
  const pendingKey = (userId: string, key: string): string => `${userId}\u0000${key}`

  /**
   * Makes the draft live and stages its batch for the group commit; returns what the command's
   * answer must wait for (its own commit, or for a draft that changed nothing, the user's commit
   * still pending, so no answer reflects state the store does not have yet). The user's queue
   * moves on at once: the next command runs on the live state while this one is being written.
   *
   * @throws Error when the funds identity is broken or the user's state was reloaded meanwhile
   */
  const stage = (tx: Tx): Promise<void> | undefined => {
    const userId = tx.s.userId
    if (!tx.dirty) {
      for (const fn of tx.after) fn()
      return tx.dependsOn ?? lastStaged.get(userId)
    }
    if (states.get(userId) !== tx.s) {
      throw new Error(
        `sandbox state of ${userId} was reloaded after a failed commit; the command was not applied`,
      )
    }
    tx.checkInvariant()
    const batch = tx.batch()
    tx.apply()
    const s = tx.s
    for (const o of batch.orders) {
      if (!isActive(o)) s.due.delete(o.orderId)
      else if (!s.due.has(o.orderId)) s.due.add(o.orderId, dueAtOf(o))
    }
    const durable = committer.add(batch, () => states.get(userId) === s)
    lastStaged.set(userId, durable)
    const keys: string[] = []
    for (const o of batch.orders) {
      if (o.idempotencyKey === null) continue
      const k = pendingKey(userId, o.idempotencyKey)
      pendingKeys.set(k, { order: o, durable })
      keys.push(k)
    }
    const settled = (): void => {
      if (lastStaged.get(userId) === durable) lastStaged.delete(userId)
      for (const k of keys) if (pendingKeys.get(k)?.durable === durable) pendingKeys.delete(k)
    }
    durable.then(settled, settled)
    return tx.dependsOn === undefined ? durable : Promise.all([tx.dependsOn, durable]).then(noop)
  }

  /**
   * runs `fn` on the user's state under the user's lock and stages what it changed; resolves
   * once that is committed
   */
  const withUser = async <T>(userId: string, fn: (tx: Tx) => T | Promise<T>): Promise<T> => {
    if (!started) await boot()
    const { out, durable } = await queue.run(userId, async () => {
      const s = states.get(userId) ?? (await stateOf(userId))
      const tx = newTx(s)
      const resuming = ensureResumed(factsAt(tx.now).parts.yymmdd)
      if (resuming) await resuming
      housekeep(tx, undefined)
      const out = await fn(tx)
      return { out, durable: stage(tx) }
    })
    if (durable !== undefined) await durable
    return out
  }

  // ---- index --------------------------------------------------------------------------------

  const instrumentKey = (exchange: string, symbol: string): string => `${exchange}:${symbol}`

  function indexOrder(o: Order): void {
    let side: RestingSide
    let price: number
    if (o.status === 'trigger_pending') {
      side = o.action === 'BUY' ? 'buy_stop' : 'sell_stop'
      price = o.triggerPrice
    } else {
      side = o.action === 'BUY' ? 'buy_limit' : 'sell_limit'
      price = o.price
    }
    index.add(instrumentKey(o.exchange, o.symbol), side, price, o.orderId)
    owner.set(o.orderId, o.userId)
  }

  const unindex = (id: string): void => {
    index.remove(id)
    owner.delete(id)
  }

  // ---- prices -------------------------------------------------------------------------------

  const isStale = (q: Quote, now: number): boolean => {
    if (!(q.ltp > 0)) return true
    if (q.high !== undefined && q.low !== undefined && q.high > 0 && q.low > 0) {
      if (q.ltp < q.low || q.ltp > q.high) return true
    }
    return (
      config.maxQuoteAgeMs !== null && q.atMs !== undefined && now - q.atMs > config.maxQuoteAgeMs
    )
  }

  const usableQuote = async (symbol: string, exchange: string): Promise<Quote | undefined> => {
    const q = await prices.quote(symbol, exchange)
    if (!q) return undefined
    if (q.ltp > 0) marks.set(instrumentKey(exchange, symbol), q.ltp)
    return isStale(q, clock.now()) ? undefined : q
  }

  const isDerivative = (info: InstrumentInfo): boolean =>
    info.instrumentType === 'FUT' || info.instrumentType === 'CE' || info.instrumentType === 'PE'

  const underlyingPrice = async (
    info: InstrumentInfo,
    hint: Inr4 | undefined,
  ): Promise<Inr4 | undefined> => {
    if (!isDerivative(info)) return undefined
    if (hint !== undefined && hint > 0) return hint
    const u = info.underlying
    if (!u) return undefined
    const q = await prices.quote(u.symbol, u.exchange)
    if (q && q.ltp > 0) {
      marks.set(instrumentKey(u.exchange, u.symbol), q.ltp)
      return q.ltp
    }
    return marks.get(instrumentKey(u.exchange, u.symbol))
  }

  const marketFor = async (
    symbol: string,
    exchange: string,
    info: InstrumentInfo,
    hint: Inr4 | undefined,
  ): Promise<Market> => {
    if (!isDerivative(info)) return { quote: await usableQuote(symbol, exchange), u: undefined }
    const [quote, u] = await Promise.all([
      usableQuote(symbol, exchange),
      underlyingPrice(info, hint),
    ])
    return { quote, u }
  }

  // ---- margin -------------------------------------------------------------------------------

  const legOf = (
    p: Pick<
      Position,
      'instrumentType' | 'quantity' | 'cost' | 'strike' | 'expiry' | 'contractValueE4'
    >,
  ): MarginLeg => ({
    type: p.instrumentType === 'CE' || p.instrumentType === 'PE' ? p.instrumentType : 'FUT',
    quantity: p.quantity,
    cost: p.cost,
    strike: p.strike,
    expiry: p.expiry ?? undefined,
    cvE4: p.contractValueE4,
  })

  const groupLegs = (positions: readonly Position[], groupKey: string): MarginLeg[] =>
    positions.filter((p) => p.marginGroup === groupKey && p.quantity !== 0).map(legOf)

  /** the underlying price to margin a group with: given, last used, or a proxy */
  const pickU = (
    u: Inr4 | undefined,
    stored: Inr4 | undefined,
    info: InstrumentInfo,
    price: Inr4,
  ): Inr4 => {
    if (u !== undefined && u > 0) return u
    if (stored !== undefined && stored > 0) return stored
    if (info.instrumentType !== 'FUT' && info.strike !== undefined && info.strike > 0) {
      return info.strike
    }
    return price
  }

  /**
   * Margin an order must hold while it rests: for cash equity the value of the quantity that
   * opens or adds exposure / leverage (sandbox.md §5 step 9–10); for F&O the increase of the
   * group's SPAN-like margin if the order filled at `basis`.
   */
  const reservationFor = (
    tx: Tx,
    req: OrderRequest,
    info: InstrumentInfo,
    basis: Inr4,
    u: Inr4 | undefined,
  ): Inr4 => {
    const key = positionKey(req.symbol, req.exchange, req.product)
    const held = tx.position(key)?.quantity ?? 0
    const delta = req.action === 'BUY' ? req.quantity : -req.quantity
    if (!isDerivative(info)) {
      if (req.product === 'CNC' && req.action === 'SELL') return ZERO
      const opening =
        held !== 0 && Math.sign(held) !== Math.sign(delta)
          ? Math.max(0, req.quantity - Math.abs(held))
          : req.quantity
      return opening === 0
        ? ZERO
        : equityMargin(basis, opening, equityLeverage(config, req.product))
    }
    const gk = marginGroupKey(req.symbol, req.exchange, info)
    const rate = marginRateFor(config, req.symbol, req.exchange, info)
    const all = tx.allPositions()
    const uu = pickU(u, tx.group(gk)?.underlyingPrice, info, basis)
    const before = groupMargin(groupLegs(all, gk), uu, rate, config.hedgeBenefit).total
    const after = groupMargin(
      legsWithOrder(all, gk, key, req, info, delta, basis),
      uu,
      rate,
      config.hedgeBenefit,
    ).total
    return Math.max(0, after - before) as Inr4
  }

  const legsWithOrder = (
    all: readonly Position[],
    gk: string,
    key: string,
    req: OrderRequest,
    info: InstrumentInfo,
    delta: number,
    price: Inr4,
  ): MarginLeg[] => {
    const legs: MarginLeg[] = []
    let found = false
    for (const p of all) {
      if (p.marginGroup !== gk) continue
      if (positionKey(p.symbol, p.exchange, p.product) === key) {
        found = true
        const r = netFill(p.quantity, p.cost, delta, price)
        legs.push(legOf({ ...p, quantity: r.quantity, cost: r.cost }))
      } else if (p.quantity !== 0) {
        legs.push(legOf(p))
      }
    }
    if (!found) {
      legs.push(
        legOf({
          instrumentType: info.instrumentType,
          quantity: delta,
          cost: notional(price, req.quantity),
          strike: info.strike ?? ZERO,
          expiry: info.expiry ?? null,
          contractValueE4: contractValueE4(info),
        }),
      )
    }
    return legs
  }

  /** re-computes a group's margin after its positions changed and moves the difference */
  const remargin = (
    tx: Tx,
    gk: string,
    symbol: string,
    exchange: string,
    info: InstrumentInfo,
    u: Inr4 | undefined,
    price: Inr4,
  ): void => {
    const legs = groupLegs(tx.allPositions(), gk)
    const old = tx.group(gk)
    const uu = pickU(u, old?.underlyingPrice, info, price)
    const m =
      legs.length === 0
        ? ZERO
        : groupMargin(legs, uu, marginRateFor(config, symbol, exchange, info), config.hedgeBenefit)
            .total
    tx.reserve(m - (old?.margin ?? 0))
    if (legs.length === 0) {
      if (old) tx.deleteGroup(gk)
    } else {
      tx.putGroup({
        userId: tx.s.userId,
        groupKey: gk,
        margin: m,
        underlyingPrice: uu,
        updatedAtMs: tx.now,
      })
    }
    if (tx.f.available < 0) {
      log.warn(
        { userId: tx.s.userId, group: gk, available: tx.f.available },
        'margin shortfall after re-margining',
      )
    }
  }

  // ---- fills --------------------------------------------------------------------------------

  /** nets a fill into the position, moves margin and books realized PnL */
  const applyFill = (
    tx: Tx,
    order: Order,
    info: InstrumentInfo,
    price: Inr4,
    u: Inr4 | undefined,
  ): void => {
    const key = positionKey(order.symbol, order.exchange, order.product)
    const derivative = isDerivative(info)
    const pos: Position = tx.position(key) ?? {
      userId: tx.s.userId,
      symbol: order.symbol,
      exchange: order.exchange,
      product: order.product,
      quantity: 0,
      cost: ZERO,
      margin: ZERO,
      realizedPnl: ZERO,
      sessionRealizedPnl: ZERO,
      session: tx.session,
      lastPrice: price,
      openedDay: tx.today,
      tradeDay: tx.today,
      updatedAtMs: tx.now,
      instrumentType: info.instrumentType,
      expiry: info.expiry ?? null,
      strike: info.strike ?? ZERO,
      contractValueE4: contractValueE4(info),
      marginGroup: derivative ? marginGroupKey(order.symbol, order.exchange, info) : null,
    }
    const delta = order.action === 'BUY' ? order.quantity : -order.quantity
    const r = netFill(pos.quantity, pos.cost, delta, price)
    const realized = applyCv(r.realizedRaw, pos.contractValueE4)
    let margin = pos.margin
    if (!derivative) {
      if (r.closed > 0) {
        const freed = proRata(pos.margin, r.closed, Math.abs(pos.quantity))
        margin = (margin - freed) as Inr4
        tx.release(freed)
      }
      if (r.opened > 0 && !(order.product === 'CNC' && order.action === 'SELL')) {
        const need = equityMargin(
          order.referencePrice,
          r.opened,
          equityLeverage(config, order.product),
        )
        margin = (margin + need) as Inr4
        tx.reserve(need)
      }
    }
    const reopened = pos.quantity === 0 || Math.sign(r.quantity) !== Math.sign(pos.quantity)
    tx.putPosition({
      ...pos,
      quantity: r.quantity,
      cost: r.cost,
      margin,
      realizedPnl: (pos.realizedPnl + realized) as Inr4,
      sessionRealizedPnl: ((pos.session === tx.session ? pos.sessionRealizedPnl : 0) +
        realized) as Inr4,
      session: tx.session,
      lastPrice: price,
      openedDay: reopened && r.quantity !== 0 ? tx.today : pos.openedDay,
      tradeDay: tx.today,
      updatedAtMs: tx.now,
    })
    tx.realize(realized)
    if (derivative && pos.marginGroup) {
      remargin(tx, pos.marginGroup, order.symbol, order.exchange, info, u, price)
    }
  }

  const fill = (
    tx: Tx,
    order: Order,
    info: InstrumentInfo,
    price: Inr4,
    u: Inr4 | undefined,
  ): Order => {
    tx.release(order.reservedMargin)
    const done = tx.putOrder({
      ...order,
      status: 'complete',
      averagePrice: price,
      filledQuantity: order.quantity,
      pendingQuantity: 0,
      reservedMargin: ZERO,
      updatedAtMs: tx.now,
    })
    tx.trades.push({
      tradeId: `T${order.orderId}`,
      orderId: order.orderId,
      userId: order.userId,
      symbol: order.symbol,
      exchange: order.exchange,
      action: order.action,
      quantity: order.quantity,
      price,
      product: order.product,
      strategy: order.strategy,
      tradedAtMs: tx.now,
    })
    applyFill(tx, order, info, price, u)
    const id = order.orderId
    tx.after.push(() => unindex(id))
    log.info(
      {
        orderId: id,
        userId: order.userId,
        symbol: order.symbol,
        exchange: order.exchange,
        action: order.action,
        quantity: order.quantity,
        price,
      },
      'order filled',
    )
    return done
  }

  const rest = (tx: Tx, order: Order): Order => {
    const o = tx.putOrder(order)
    tx.after.push(() => indexOrder(o))
    return o
  }

  /**
   * Fill rules (sandbox.md §6.3 with §16 fixed, one model for placement and ticks): MARKET at the
   * touch; an aggressive LIMIT (new, modified or a just-triggered SL) at the touch if that is at
   * or better than its limit; a resting LIMIT at its limit once the market trades through it
   * (the passive side gets its own price, as on the exchange); SL-M at the touch once the LTP
   * reaches the trigger; a triggered SL becomes a plain LIMIT (the trigger is not re-checked).
   */
  const evaluate = (
    tx: Tx,
    order: Order,
    info: InstrumentInfo,
    quote: Quote | undefined,
    u: Inr4 | undefined,
    aggressive: boolean,
  ): Order => {
    if (!quote) return rest(tx, order)
    const buy = order.action === 'BUY'
    const touch = (buy ? positive(quote.ask) : positive(quote.bid)) ?? quote.ltp
    if (order.priceType === 'MARKET') return fill(tx, order, info, touch, u)
    let o = order
    if (o.status === 'trigger_pending') {
      const hit = buy ? quote.ltp >= o.triggerPrice : quote.ltp <= o.triggerPrice
      if (!hit) return rest(tx, o)
      if (o.priceType === 'SL-M') return fill(tx, o, info, touch, u)
      o = tx.putOrder({ ...o, status: 'open', updatedAtMs: tx.now })
      aggressive = true
    }
    const limit = o.price
    if (aggressive) {
      return (buy ? touch <= limit : touch >= limit) ? fill(tx, o, info, touch, u) : rest(tx, o)
    }
    const crossed = buy
      ? quote.ltp <= limit || (positive(quote.ask) ?? Infinity) <= limit
      : quote.ltp >= limit || (positive(quote.bid) ?? -Infinity) >= limit
    return crossed ? fill(tx, o, info, limit, u) : rest(tx, o)
  }

  const cancelInTx = (tx: Tx, order: Order, reason: string | null): Order => {
    tx.release(order.reservedMargin)
    const done = tx.putOrder({
      ...order,
      status: 'cancelled',
      pendingQuantity: 0,
      reservedMargin: ZERO,
      rejectionReason: reason,
      updatedAtMs: tx.now,
    })
    const id = order.orderId
    tx.after.push(() => unindex(id))
    log.info({ orderId: id, userId: order.userId, reason }, 'order cancelled')
    return done
  }

  // ---- placement ----------------------------------------------------------------------------

  const placeInTx = (tx: Tx, req: OrderRequest, info: InstrumentInfo, mkt: Market): OrderResult => {
    const now = tx.now
    const pkey = positionKey(req.symbol, req.exchange, req.product)
    const held = tx.position(pkey)?.quantity ?? 0
    const delta = req.action === 'BUY' ? req.quantity : -req.quantity
    const reducing =
      held !== 0 && Math.sign(held) !== Math.sign(delta) && req.quantity <= Math.abs(held)

    if (req.product === 'MIS' && !reducing && !misWindowOpen(now, req.exchange)) {
      const cutoff = formatHhMm(config.squareOffMinutes.get(req.exchange) ?? 0)
      return refuse(
        'market_closed',
        `MIS orders cannot be placed after square-off time (${cutoff} IST). Trading resumes at ${formatHhMm(config.misOpenMinute)} AM IST.`,
      )
    }

    let holdingsReason: string | null = null
    if (req.product === 'CNC' && req.action === 'SELL' && isEquityExchange(req.exchange)) {
      const h = tx.holding(holdingKey(req.symbol, req.exchange))?.quantity ?? 0
      const available = held + Math.max(0, h)
      if (available <= 0) {
        holdingsReason = `Cannot sell ${req.symbol} in CNC. No positions or holdings available. CNC (delivery) requires existing shares. Use MIS for intraday short selling.`
      } else if (req.quantity > available) {
        holdingsReason = `Cannot sell ${req.quantity} shares of ${req.symbol} in CNC. Only ${available} shares available (Position: ${held}, Holdings: ${Math.max(0, h)})`
      }
    }

    const q = mkt.quote
    let basis: Inr4
    if (req.priceType === 'MARKET') {
      if (!q) {
        return refuse(
          'no_price',
          `Cannot place MARKET order for ${req.symbol} - no current price is available. Try again later or use a LIMIT order with a specific price.`,
        )
      }
      basis = q.ltp
    } else if (req.priceType === 'LIMIT') {
      basis = req.price as Inr4
    } else {
      basis = req.triggerPrice as Inr4
    }

    const base: Order = {
      orderId: '',
      userId: tx.s.userId,
      strategy: req.strategy ?? '',
      symbol: req.symbol,
      exchange: req.exchange,
      action: req.action,
      quantity: req.quantity,
      priceType: req.priceType,
      product: req.product,
      price: req.priceType === 'LIMIT' || req.priceType === 'SL' ? (req.price as Inr4) : ZERO,
      triggerPrice:
        req.priceType === 'SL' || req.priceType === 'SL-M' ? (req.triggerPrice as Inr4) : ZERO,
      referencePrice: basis,
      status: 'open',
      averagePrice: ZERO,
      filledQuantity: 0,
      pendingQuantity: req.quantity,
      reservedMargin: ZERO,
      rejectionReason: null,
      placedAtMs: now,
      updatedAtMs: now,
      idempotencyKey: req.idempotencyKey ?? null,
    }

    if (holdingsReason !== null) {
      const rejected = tx.putOrder({
        ...base,
        orderId: newOrderId(now),
        status: 'rejected',
        pendingQuantity: 0,
        rejectionReason: holdingsReason,
      })
      log.info(
        { orderId: rejected.orderId, userId: rejected.userId, reason: holdingsReason },
        'order rejected',
      )
      return {
        ok: false,
        error: new SandboxError('insufficient_holdings', holdingsReason),
        order: rejected,
      }
    }

    const reservation = reservationFor(tx, req, info, basis, mkt.u)
    if (reservation > tx.f.available) {
      const a = tx.f.available
      return refuse(
        'insufficient_funds',
        `Insufficient funds. Required: ₹${formatInr4(reservation)}, Available: ₹${formatInr4(a)}, Shortage: ₹${formatInr4((reservation - a) as Inr4)}`,
      )
    }

    const order = tx.putOrder({
      ...base,
      orderId: newOrderId(now),
      status: req.priceType === 'SL' || req.priceType === 'SL-M' ? 'trigger_pending' : 'open',
      reservedMargin: reservation,
    })
    tx.reserve(reservation)
    log.info(
      {
        orderId: order.orderId,
        userId: order.userId,
        symbol: order.symbol,
        exchange: order.exchange,
        action: order.action,
        quantity: order.quantity,
        priceType: order.priceType,
        product: order.product,
        reservedMargin: reservation,
      },
      'order placed',
    )
    return { ok: true, order: evaluate(tx, order, info, q, mkt.u, true) }
  }

  const placeOrder = async (
    userId: string,
    req: OrderRequest,
    derive?: (tx: Tx) => OrderRequest | string,
    exit = false,
  ): Promise<SmartOrderResult> => {
    if (!started) await boot()
    const checked = checkRequest(req, instruments, exit)
    if (!checked.ok) return checked
    const info = checked.info
    const mkt = await marketFor(req.symbol, req.exchange, info, req.underlyingPrice)
    return withUser(userId, async (tx): Promise<SmartOrderResult> => {
      let r = req
      if (derive) {
        const d = derive(tx)
        if (typeof d === 'string') return { ok: true, order: null, message: d }
        const again = checkRequest(d, instruments, exit)
        if (!again.ok) return again
        r = d
      }
      if (r.idempotencyKey !== undefined) {
        // the first order may still be in a group being committed: answer with it once durable
        const pending = pendingKeys.get(pendingKey(userId, r.idempotencyKey))
        if (pending) tx.dependsOn = pending.durable
        const first =
          [...tx.orders.values()].find((o) => o.idempotencyKey === r.idempotencyKey) ??
          pending?.order ??
          (await store.findOrderByIdempotencyKey(userId, r.idempotencyKey))
        if (first?.status === 'rejected') {
          const reason = first.rejectionReason ?? 'Order was rejected'
          return {
            ok: false,
            error: new SandboxError('insufficient_holdings', reason),
            order: first,
          }
        }
        if (first) return { ok: true, order: tx.order(first.orderId) ?? first }
      }
      return placeInTx(tx, r, info, mkt)
    })
  }

  // ---- housekeeping: reset, T+1 -------------------------------------------------------------

  const resetInTx = (tx: Tx, jobKey: string, report: DueReport | undefined): void => {
    for (const o of tx.activeOrders()) {
      const c = cancelInTx(tx, o, 'Cancelled by a funds reset')
      report?.cancelled.push(c)
    }
    for (const p of tx.allPositions())
      tx.deletePosition(positionKey(p.symbol, p.exchange, p.product))
    for (const h of tx.allHoldings()) tx.deleteHolding(holdingKey(h.symbol, h.exchange))
    for (const g of tx.allGroups()) tx.deleteGroup(g.groupKey)
    const f = tx.f
    tx.replaceFunds({
      ...freshFunds(f.userId, tx.now),
      createdAtMs: f.createdAtMs,
      resetCount: f.resetCount + 1,
    })
    tx.addJob(jobKey)
    report?.resets.push(f.userId)
    log.info({ userId: f.userId, jobKey }, 'funds reset')
  }

  const settleT1 = (tx: Tx, report: DueReport | undefined): void => {
    let settled = false
    for (const p of tx.allPositions()) {
      if (p.product !== 'CNC') continue
      if (nextTradingDay(calendar, p.tradeDay) > tx.today) continue
      const pk = positionKey(p.symbol, p.exchange, p.product)
      const hk = holdingKey(p.symbol, p.exchange)
      const h = tx.holding(hk)
      if (p.quantity > 0) {
        tx.moveToHoldings(p.cost, p.margin)
        tx.putHolding({
          userId: p.userId,
          symbol: p.symbol,
          exchange: p.exchange,
          quantity: (h?.quantity ?? 0) + p.quantity,
          cost: ((h?.cost ?? 0) + p.cost) as Inr4,
          lastPrice: p.lastPrice,
          settlementDay: h?.settlementDay ?? tx.today,
          updatedAtMs: tx.now,
        })
      } else if (p.quantity < 0) {
        const n = -p.quantity
        if (!h || h.quantity < n) {
          throw new Error(
            `sandbox invariant broken: CNC sell of ${n} ${p.symbol} for ${p.userId} exceeds the holding (${h?.quantity ?? 0})`,
          )
        }
        const costPortion = proRata(h.cost, n, h.quantity) as Inr4
        tx.sellFromHoldings(costPortion, p.cost)
        if (h.quantity === n) tx.deleteHolding(hk)
        else {
          tx.putHolding({
            ...h,
            quantity: h.quantity - n,
            cost: (h.cost - costPortion) as Inr4,
            lastPrice: p.lastPrice,
            updatedAtMs: tx.now,
          })
        }
      }
      tx.deletePosition(pk)
      settled = true
      if (p.quantity !== 0) {
        report?.settledToHoldings.push({
          userId: p.userId,
          symbol: p.symbol,
          exchange: p.exchange,
          quantity: p.quantity,
          day: tx.today,
        })
        log.info({ userId: p.userId, symbol: p.symbol, quantity: p.quantity }, 'T+1 settled')
      }
    }
    if (settled) tx.addJob(`t1:${tx.today}`)
  }

  /** state-only jobs that are due (cheap when nothing is): reset, then T+1 */
  function housekeep(tx: Tx, report: DueReport | undefined): void {
    const s = tx.s
    if (s.housekeptDay === tx.today && tx.now < s.nextResetAtMs) return
    const { last, next } = resetInstants(tx.now)
    if (last > tx.f.lastResetAtMs) resetInTx(tx, `reset:${istDate(last)}`, report)
    settleT1(tx, report)
    const today = tx.today
    tx.after.push(() => {
      s.housekeptDay = today
      s.nextResetAtMs = next
    })
  }

  // ---- jobs needing prices: DAY expiry, MIS square-off, F&O expiry --------------------------

  const dayExpiryAt = (o: Order): number => {
    const close = closeMinuteOf(config, o.exchange)
    const p = istParts(o.placedAtMs)
    let d = p.date
    if (!calendar.isTradingDay(d) || p.minuteOfDay >= close) d = nextTradingDay(calendar, d)
    return istInstant(d, close)
  }

  const isExpired = (expiry: string, exchange: string, now: number): boolean => {
    const p = istParts(now)
    if (p.date > expiry) return true
    if (p.date < expiry || config.expirySettlementTiming === 'next_day') return false
    return p.minuteOfDay >= closeMinuteOf(config, exchange)
  }

  /** the first instant `isExpired` is true for a contract expiring on `expiry` (IST date) */
  const expiryInstant = (expiry: string, exchange: string): number =>
    config.expirySettlementTiming === 'next_day'
      ? istInstant(addDays(expiry, 1), 0)
      : istInstant(expiry, closeMinuteOf(config, exchange))

  /**
   * When a time rule of `dueForUser` may first act on a resting order; an order whose instrument
   * is unknown is checked on every poll, as its expiry is unknown. The instant depends only on
   * the minute of placement, the exchange, the product and the contract's expiry, so it is
   * computed once per such key and minute (the calendar walk cost 3.5% of a placeorder).
   */
  let dueMemoMinute = Number.NaN
  const dueMemo = new Map<string, number>()
  function dueAtOf(o: Order): number {
    const info = instruments.get(o.symbol, o.exchange)
    if (!info) return Number.NEGATIVE_INFINITY
    const minute = Math.floor(o.placedAtMs / MINUTE_MS)
    if (minute !== dueMemoMinute) {
      dueMemo.clear()
      dueMemoMinute = minute
    }
    const key = `${o.exchange}|${o.product}|${info.expiry ?? ''}`
    let at = dueMemo.get(key)
    if (at === undefined) {
      at = Number.POSITIVE_INFINITY
      const cutoff = config.squareOffMinutes.get(o.exchange)
      if (o.product === 'MIS' && cutoff !== undefined) {
        at = istInstant(istDate(o.placedAtMs), cutoff)
      }
      if (info.expiry !== undefined) at = Math.min(at, expiryInstant(info.expiry, o.exchange))
      if (config.dayOrderExpiry && o.exchange !== 'CRYPTO') at = Math.min(at, dayExpiryAt(o))
      dueMemo.set(key, at)
    }
    return at
  }

  const synthetic = (
    tx: Tx,
    p: Position,
    strategy: string,
    price: Inr4,
  ): { order: Order; info: InstrumentInfo } => {
    const qty = Math.abs(p.quantity)
    const order: Order = {
      orderId: newOrderId(tx.now),
      userId: p.userId,
      strategy,
      symbol: p.symbol,
      exchange: p.exchange,
      action: p.quantity > 0 ? 'SELL' : 'BUY',
      quantity: qty,
      priceType: 'MARKET',
      product: p.product,
      price: ZERO,
      triggerPrice: ZERO,
      referencePrice: price,
      status: 'open',
      averagePrice: ZERO,
      filledQuantity: 0,
      pendingQuantity: qty,
      reservedMargin: ZERO,
      rejectionReason: null,
      placedAtMs: tx.now,
      updatedAtMs: tx.now,
      idempotencyKey: null,
    }
    const info: InstrumentInfo = instruments.get(p.symbol, p.exchange) ?? {
      lotSize: 1,
      tickSize: ZERO,
      instrumentType: p.instrumentType,
      expiry: p.expiry ?? undefined,
      strike: p.strike,
      contractValue: p.contractValueE4 / 10_000,
    }
    return { order, info }
  }

  /** stages what is due for the user; returns its commit (wrapped: a promise would be awaited) */
  const dueForUser = async (
    userId: string,
    report: DueReport,
  ): Promise<{ durable: Promise<void> | undefined }> => {
    const s = await stateOf(userId)
    const tx = newTx(s)
    const resuming = ensureResumed(factsAt(tx.now).parts.yymmdd)
    if (resuming) await resuming
    housekeep(tx, report)
    const now = tx.now

    // only the resting orders a time rule may act on by now, in placement order
    const due: Order[] = []
    for (const id of s.due.takeDue(now)) {
      const o = tx.order(id)
      if (o && isActive(o)) due.push(o)
    }
    due.sort(byPlacement)
    for (const o of due) {
      const cutoff = config.squareOffMinutes.get(o.exchange)
      const info = instruments.get(o.symbol, o.exchange)
      if (o.product === 'MIS' && cutoff !== undefined) {
        if (now >= istInstant(istDate(o.placedAtMs), cutoff)) {
          report.cancelled.push(cancelInTx(tx, o, 'Cancelled at the MIS square-off time'))
          continue
        }
      }
      if (info?.expiry !== undefined && isExpired(info.expiry, o.exchange, now)) {
        report.cancelled.push(cancelInTx(tx, o, 'Cancelled because the contract expired'))
        continue
      }
      if (config.dayOrderExpiry && o.exchange !== 'CRYPTO' && now >= dayExpiryAt(o)) {
        report.cancelled.push(cancelInTx(tx, o, 'Order expired at end of day (DAY validity)'))
        continue
      }
      // not due after all (its instrument was unknown when it was queued): check it again later
      const at = dueAtOf(o)
      tx.after.push(() => s.due.add(o.orderId, at > now ? at : Number.NEGATIVE_INFINITY))
    }

    for (const p of tx.allPositions()) {
      if (p.quantity === 0) continue
      const key = instrumentKey(p.exchange, p.symbol)
      if (p.expiry !== null && isExpired(p.expiry, p.exchange, now)) {
        const price = await settlementPrice(p, tx)
        const { order, info } = synthetic(tx, p, 'EXPIRY_SETTLEMENT', price)
        report.expirySettlements.push(fill(tx, order, info, price, undefined))
        report.trades.push(tx.trades[tx.trades.length - 1] as Trade)
        tx.addJob(`expiry:${p.exchange}:${p.symbol}:${p.product}`)
        continue
      }
      const cutoff = config.squareOffMinutes.get(p.exchange)
      if (p.product !== 'MIS' || cutoff === undefined) continue
      const cutoffAt = istInstant(p.openedDay, cutoff)
      if (now < cutoffAt) continue
      let price: Inr4 | undefined
      if (istDate(cutoffAt) === tx.today) {
        const q = await usableQuote(p.symbol, p.exchange)
        if (q) price = (p.quantity > 0 ? positive(q.bid) : positive(q.ask)) ?? q.ltp
      }
      price ??= marks.get(key) ?? p.lastPrice
      const { order, info } = synthetic(tx, p, 'AUTO_SQUARE_OFF', price)
      report.squaredOff.push(fill(tx, order, info, price, undefined))
      report.trades.push(tx.trades[tx.trades.length - 1] as Trade)
      tx.addJob(`squareoff:${p.exchange}:${p.openedDay}`)
      log.info({ userId, symbol: p.symbol, quantity: p.quantity, price }, 'MIS squared off')
    }
    return { durable: stage(tx) }
  }

  /** expiry settlement price (sandbox.md §8.5, with contract value applied by the fill) */
  /**
   * Expiry settlement price (sandbox.md §8.5; the fill applies the contract value). On the expiry
   * day itself a fresh quote is used (the close); a catch-up on a later day uses the last known
   * price, never a later day's quote.
   */
  const settlementPrice = async (p: Position, tx: Tx): Promise<Inr4> => {
    const live = p.expiry === tx.today
    const priceOf = async (symbol: string, exchange: string): Promise<Inr4 | undefined> => {
      if (live) {
        const q = await prices.quote(symbol, exchange)
        if (q && q.ltp > 0) {
          marks.set(instrumentKey(exchange, symbol), q.ltp)
          return q.ltp
        }
      }
      return marks.get(instrumentKey(exchange, symbol))
    }
    const mode = config.optionExpirySettlement
    if (p.instrumentType !== 'FUT' && mode === 'zero') return ZERO
    const last = (await priceOf(p.symbol, p.exchange)) ?? p.lastPrice
    if (p.instrumentType === 'FUT') return last > 0 ? last : averagePrice(p.cost, p.quantity)
    if (mode === 'intrinsic') {
      const und = instruments.get(p.symbol, p.exchange)?.underlying
      const u =
        (und ? await priceOf(und.symbol, und.exchange) : undefined) ??
        (p.marginGroup ? tx.group(p.marginGroup)?.underlyingPrice : undefined)
      if (u !== undefined && u > 0) {
        return Math.max(0, p.instrumentType === 'CE' ? u - p.strike : p.strike - u) as Inr4
      }
    }
    return last
  }

  // ---- boot ---------------------------------------------------------------------------------

  function boot(): Promise<DueReport> {
    ready ??= (async () => {
      for (const id of await store.listUserIds()) {
        if (!states.has(id)) install(id, await store.loadUser(id))
      }
      log.info({ users: states.size, resting: index.size }, 'sandbox engine started')
      const report = await runDueNow()
      started = true
      return report
    })()
    return ready
  }

  const emptyReport = (): DueReport => ({
    trades: [],
    cancelled: [],
    squaredOff: [],
    expirySettlements: [],
    settledToHoldings: [],
    resets: [],
  })

  const onPriceNow = async (symbol: string, exchange: string, quote: Quote): Promise<Trade[]> => {
    const key = instrumentKey(exchange, symbol)
    if (quote.ltp > 0) marks.set(key, quote.ltp)
    if (isStale(quote, clock.now())) return []
    const ask = positive(quote.ask)
    const bid = positive(quote.bid)
    const buyPx = ask !== undefined ? Math.min(ask, quote.ltp) : quote.ltp
    const sellPx = bid !== undefined ? Math.max(bid, quote.ltp) : quote.ltp
    const crossed = index.takeCrossed(key, quote.ltp, buyPx, sellPx)
    if (crossed.limits.length + crossed.stops.length === 0) return []
    const byUser = new Map<string, { id: string; resting: boolean }[]>()
    const add = (id: string, resting: boolean): void => {
      const u = owner.get(id)
      if (u === undefined) return
      let list = byUser.get(u)
      if (!list) byUser.set(u, (list = []))
      list.push({ id, resting })
    }
    for (const id of crossed.limits) add(id, true)
    for (const id of crossed.stops) add(id, false)
    const info = instruments.get(symbol, exchange)
    const u = info ? await underlyingPrice(info, undefined) : undefined
    const trades: Trade[] = []
    await Promise.all(
      [...byUser].map(async ([userId, list]) => {
        const staged = await queue.run(userId, async () => {
          const s = await stateOf(userId)
          const tx = newTx(s)
          const resuming = ensureResumed(factsAt(tx.now).parts.yymmdd)
          if (resuming) await resuming
          housekeep(tx, undefined)
          for (const { id } of list) {
            const o = tx.order(id)
            if (!o || !isActive(o)) continue
            const i = info ?? instruments.get(o.symbol, o.exchange)
            if (!i) {
              rest(tx, o)
              continue
            }
            evaluate(tx, o, i, quote, u, false)
          }
          const filled = tx.trades.slice()
          return { durable: stage(tx), filled }
        })
        if (staged.durable !== undefined) await staged.durable
        trades.push(...staged.filled)
      }),
    )
    return trades
  }

  async function runDueNow(): Promise<DueReport> {
    const report = emptyReport()
    for (const key of index.symbols()) {
      const sep = key.indexOf(':')
      const exchange = key.slice(0, sep)
      const symbol = key.slice(sep + 1)
      const q = await prices.quote(symbol, exchange)
      if (q) report.trades.push(...(await onPriceNow(symbol, exchange, q)))
    }
    for (const userId of [...states.keys()]) {
      const { durable } = await queue.run(userId, () => dueForUser(userId, report))
      if (durable !== undefined) await durable
    }
    return report
  }

  // ---- views --------------------------------------------------------------------------------

  const mtm = async (list: readonly Position[]): Promise<Map<string, Inr4>> => {
    const out = new Map<string, Inr4>()
    await Promise.all(
      list.map(async (p) => {
        const key = instrumentKey(p.exchange, p.symbol)
        if (out.has(key)) return
        const q = await prices.quote(p.symbol, p.exchange)
        if (q && q.ltp > 0) marks.set(key, q.ltp)
        out.set(key, q && q.ltp > 0 ? q.ltp : (marks.get(key) ?? p.lastPrice))
      }),
    )
    return out
  }

  const unrealizedOf = (p: Position, ltp: Inr4): Inr4 => {
    if (p.quantity === 0) return ZERO
    const value = notional(ltp, Math.abs(p.quantity))
    return applyCv(p.quantity > 0 ? value - p.cost : p.cost - value, p.contractValueE4)
  }

  const snapshot = <T>(userId: string, fn: (tx: Tx) => T): Promise<T> => withUser(userId, fn)

  // ---- public API ---------------------------------------------------------------------------

  const engine: SandboxEngine = {
    start: () => boot(),

    placeOrder: (userId, req) => placeOrder(userId, req) as Promise<OrderResult>,

    async modifyOrder(userId, orderId, changes) {
      if (!started) await boot()
      const existing = states.get(userId)?.active.get(orderId)
      const info = existing ? instruments.get(existing.symbol, existing.exchange) : undefined
      const mkt =
        existing && info
          ? await marketFor(existing.symbol, existing.exchange, info, undefined)
          : undefined
      return withUser(userId, async (tx): Promise<OrderResult> => {
        const o = tx.order(orderId) ?? (await store.getOrder(userId, orderId))
        if (!o) return notFound(orderId)
        if (!isActive(o)) return notModifiable(o, 'modify')
        const i = instruments.get(o.symbol, o.exchange)
        if (!i)
          return {
            ok: false,
            error: new SandboxError(
              'unknown_symbol',
              `Symbol ${o.symbol} not found on ${o.exchange}`,
            ),
          }
        if (changes.price !== undefined && !(o.priceType === 'LIMIT' || o.priceType === 'SL')) {
          return {
            ok: false,
            error: new SandboxError('invalid_order', `${o.priceType} orders do not accept a price`),
          }
        }
        if (
          changes.triggerPrice !== undefined &&
          !(o.priceType === 'SL' || o.priceType === 'SL-M')
        ) {
          return {
            ok: false,
            error: new SandboxError(
              'invalid_order',
              `${o.priceType} orders do not accept a trigger price`,
            ),
          }
        }
        const quantity = changes.quantity ?? o.quantity
        const price = changes.price ?? o.price
        const triggerPrice = changes.triggerPrice ?? o.triggerPrice
        const qErr = checkQuantity(quantity, o.symbol, i)
        if (qErr) return { ok: false, error: qErr }
        const pErr = checkPrices(o.priceType, o.action, price, triggerPrice, i)
        if (pErr) return { ok: false, error: pErr }
        const basis =
          o.priceType === 'LIMIT'
            ? price
            : o.priceType === 'MARKET'
              ? o.referencePrice
              : o.status === 'open'
                ? price
                : triggerPrice
        const req: OrderRequest = {
          symbol: o.symbol,
          exchange: o.exchange,
          action: o.action,
          priceType: o.priceType,
          product: o.product,
          quantity,
          price,
          triggerPrice,
        }
        const reservation = reservationFor(tx, req, i, basis, mkt?.u)
        const delta = reservation - o.reservedMargin
        if (delta > tx.f.available) {
          return {
            ok: false,
            error: new SandboxError(
              'insufficient_funds',
              `Insufficient funds. Required: ₹${formatInr4(delta as Inr4)}, Available: ₹${formatInr4(tx.f.available)}, Shortage: ₹${formatInr4((delta - tx.f.available) as Inr4)}`,
            ),
          }
        }
        tx.reserve(delta)
        const changed = tx.putOrder({
          ...o,
          quantity,
          pendingQuantity: quantity,
          price: o.priceType === 'LIMIT' || o.priceType === 'SL' ? price : ZERO,
          triggerPrice,
          referencePrice: basis,
          reservedMargin: reservation,
          updatedAtMs: tx.now,
        })
        index.remove(orderId)
        log.info({ orderId, userId, quantity, price, triggerPrice }, 'order modified')
        return { ok: true, order: evaluate(tx, changed, i, mkt?.quote, mkt?.u, true) }
      })
    },

    cancelOrder: (userId, orderId) =>
      withUser(userId, async (tx): Promise<OrderResult> => {
        const o = tx.order(orderId) ?? (await store.getOrder(userId, orderId))
        if (!o) return notFound(orderId)
        if (!isActive(o)) return notModifiable(o, 'cancel')
        return { ok: true, order: cancelInTx(tx, o, null) }
      }),

    cancelAllOrders: (userId) =>
      withUser(userId, (tx) => ({
        cancelled: tx.activeOrders().map((o) => cancelInTx(tx, o, null)),
      })),

    async closePosition(userId, { symbol, exchange, product, strategy }) {
      const qty = await engine.openPosition(userId, symbol, exchange, product)
      if (qty === 0) {
        return {
          ok: false,
          error: new SandboxError('position_not_found', `No open position found for ${symbol}`),
        }
      }
      const req: OrderRequest = {
        symbol,
        exchange,
        product,
        action: qty > 0 ? 'SELL' : 'BUY',
        quantity: Math.abs(qty),
        priceType: 'MARKET',
        strategy: strategy ?? 'AUTO_SQUARE_OFF',
      }
      // the quantity is re-read under the lock (a fill in between must not over-close), and an
      // exit may exceed the freeze quantity, as a broker's square-off slices it for you
      return (await placeOrder(
        userId,
        req,
        (tx) => {
          const now = tx.position(positionKey(symbol, exchange, product))?.quantity ?? 0
          if (now === 0) return `No open position found for ${symbol}`
          return { ...req, action: now > 0 ? 'SELL' : 'BUY', quantity: Math.abs(now) }
        },
        true,
      ).then((r) =>
        r.ok && r.order === null
          ? { ok: false, error: new SandboxError('position_not_found', r.message) }
          : r,
      )) as OrderResult
    },

    async closeAllPositions(userId, strategy) {
      const open = await withUser(userId, (tx) => tx.allPositions().filter((p) => p.quantity !== 0))
      const closed: Order[] = []
      const failed: CloseAllResult['failed'][number][] = []
      for (const p of open) {
        const r = await engine.closePosition(userId, {
          symbol: p.symbol,
          exchange: p.exchange,
          product: p.product,
          strategy: strategy ?? 'AUTO_SQUARE_OFF',
        })
        if (r.ok) closed.push(r.order)
        else
          failed.push({
            symbol: p.symbol,
            exchange: p.exchange,
            product: p.product,
            error: r.error,
          })
      }
      return { closed, failed }
    },

    placeSmartOrder(userId, req) {
      const { positionSize, ...base } = req
      if (!Number.isSafeInteger(positionSize)) {
        return Promise.resolve({
          ok: false,
          error: new SandboxError(
            'invalid_quantity',
            `position size must be an integer, got "${positionSize}"`,
          ),
        })
      }
      if (!Number.isSafeInteger(base.quantity) || base.quantity < 0) {
        return Promise.resolve({
          ok: false,
          error: new SandboxError(
            'invalid_quantity',
            `quantity must be a non-negative integer, got "${base.quantity}"`,
          ),
        })
      }
      // validate the instrument with a placeholder quantity; the real one is derived under the lock
      const probe: OrderRequest = { ...base, quantity: lotOf(base) }
      return placeOrder(userId, probe, (tx) => {
        const current =
          tx.position(positionKey(req.symbol, req.exchange, req.product))?.quantity ?? 0
        const target = positionSize
        if (target === 0 && current === 0 && base.quantity !== 0) return base
        if (target === current) {
          return base.quantity === 0
            ? 'No OpenPosition Found. Not placing Exit order.'
            : 'Positions Already Matched. No Action needed.'
        }
        const diff = target - current
        return { ...base, action: diff > 0 ? 'BUY' : 'SELL', quantity: Math.abs(diff) }
      })
    },

    async placeBasketOrder(userId, legs) {
      const ordered = [
        ...legs.filter((l) => l.action === 'BUY'),
        ...legs.filter((l) => l.action !== 'BUY'),
      ]
      const out: BasketLegResult[] = []
      for (let i = 0; i < ordered.length; i++) {
        const request = ordered[i] as OrderRequest
        out.push({
          request,
          result: await engine.placeOrder(userId, request),
          isLastOrder: i === ordered.length - 1,
        })
      }
      return out
    },

    async placeSplitOrder(userId, req, splitSize) {
      if (!Number.isSafeInteger(splitSize) || splitSize < 1) {
        return {
          ok: false,
          error: new SandboxError(
            'invalid_quantity',
            `split size must be a positive integer, got "${splitSize}"`,
          ),
        }
      }
      if (!Number.isSafeInteger(req.quantity) || req.quantity < 1) {
        return {
          ok: false,
          error: new SandboxError(
            'invalid_quantity',
            `quantity must be a positive integer, got "${req.quantity}"`,
          ),
        }
      }
      const info = instruments.get(req.symbol, req.exchange)
      let chunk = splitSize
      if (info?.freezeQty !== undefined && info.freezeQty > 0 && chunk > info.freezeQty) {
        const lot = info.lotSize > 0 ? info.lotSize : 1
        chunk = Math.max(lot, Math.floor(info.freezeQty / lot) * lot)
      }
      const full = Math.floor(req.quantity / chunk)
      const rest = req.quantity % chunk
      const n = full + (rest > 0 ? 1 : 0)
      if (n > config.maxSplitOrders) {
        return {
          ok: false,
          error: new SandboxError(
            'too_many_orders',
            `Total number of orders would exceed maximum limit of ${config.maxSplitOrders}`,
          ),
        }
      }
      const results: SplitChunkResult[] = []
      for (let i = 0; i < n; i++) {
        const quantity = i < full ? chunk : rest
        const key = req.idempotencyKey === undefined ? undefined : `${req.idempotencyKey}#${i + 1}`
        results.push({
          orderNum: i + 1,
          quantity,
          result: await engine.placeOrder(userId, { ...req, quantity, idempotencyKey: key }),
        })
      }
      return { ok: true, totalQuantity: req.quantity, splitSize: chunk, results }
    },

    async onPrice(symbol, exchange, quote) {
      if (!started) await boot()
      return onPriceNow(symbol, exchange, quote)
    },

    async runDue() {
      if (!started) await boot()
      return runDueNow()
    },

    async estimateMargin(orders, options) {
      if (!started) await boot()
      const s =
        options?.userId === undefined
          ? undefined
          : await withUser(options.userId, (tx) => tx.allPositions())
      let positions: Position[] = [...(s ?? [])]
      let equity = 0
      const groups = new Map<
        string,
        {
          symbol: string
          exchange: string
          info: InstrumentInfo
          u: Inr4 | undefined
          basis: Inr4
          before: Position[]
        }
      >()
      for (let i = 0; i < orders.length; i++) {
        const req = orders[i] as OrderRequest
        const checked = checkRequest(req, instruments)
        if (!checked.ok) return { ok: false, index: i, error: checked.error }
        const info = checked.info
        const mkt = await marketFor(req.symbol, req.exchange, info, req.underlyingPrice)
        const basis =
          req.priceType === 'MARKET'
            ? mkt.quote?.ltp
            : req.priceType === 'LIMIT'
              ? req.price
              : req.triggerPrice
        if (basis === undefined) {
          return {
            ok: false,
            index: i,
            error: new SandboxError(
              'no_price',
              `No current price for ${req.symbol}; give a LIMIT price to estimate its margin`,
            ),
          }
        }
        if (!isDerivative(info)) {
          if (!(req.product === 'CNC' && req.action === 'SELL')) {
            equity += equityMargin(basis, req.quantity, equityLeverage(config, req.product))
          }
          continue
        }
        const gk = marginGroupKey(req.symbol, req.exchange, info)
        if (!groups.has(gk))
          groups.set(gk, {
            symbol: req.symbol,
            exchange: req.exchange,
            info,
            u: mkt.u,
            basis,
            before: positions,
          })
        positions = simulate(positions, req, info, basis, gk, options?.userId ?? '')
      }
      let span = 0
      let exposure = 0
      let premium = 0
      let hedgeBenefit = 0
      for (const [gk, g] of groups) {
        const rate = marginRateFor(config, g.symbol, g.exchange, g.info)
        const u = pickU(g.u, undefined, g.info, g.basis)
        const before = groupMargin(groupLegs(g.before, gk), u, rate, config.hedgeBenefit)
        const after = groupMargin(groupLegs(positions, gk), u, rate, config.hedgeBenefit)
        span += after.span - before.span
        exposure += after.exposure - before.exposure
        premium += after.premium - before.premium
        hedgeBenefit += after.hedgeBenefit - before.hedgeBenefit
      }
      const estimate: MarginEstimate = {
        total: (equity + span + exposure + premium) as Inr4,
        span: span as Inr4,
        exposure: exposure as Inr4,
        premium: premium as Inr4,
        equity: equity as Inr4,
        hedgeBenefit: hedgeBenefit as Inr4,
      }
      return { ok: true, estimate }
    },

    deposit: (userId, amount) =>
      withUser(userId, (tx): { ok: true } | { ok: false; error: SandboxError } => {
        if (!Number.isSafeInteger(amount) || amount === 0) {
          return {
            ok: false,
            error: new SandboxError(
              'invalid_price',
              `deposit must be a non-zero amount, got ${amount}`,
            ),
          }
        }
        if (amount < 0 && -amount > tx.f.available) {
          return {
            ok: false,
            error: new SandboxError(
              'insufficient_funds',
              `Cannot withdraw ₹${formatInr4(-amount as Inr4)}: only ₹${formatInr4(tx.f.available)} is available`,
            ),
          }
        }
        tx.deposit(amount)
        return { ok: true }
      }),

    resetAccount: (userId) =>
      withUser(userId, (tx) => {
        resetInTx(tx, `reset:manual:${tx.now}`, undefined)
      }),

    async orderStatus(userId, orderId) {
      if (!started) await boot()
      return states.get(userId)?.active.get(orderId) ?? store.getOrder(userId, orderId)
    },

    async orders(userId, options) {
      if (!started) await boot()
      return store.listOrders(userId, { sinceMs: options?.sinceMs ?? sessionStartMs() })
    },

    async trades(userId, options) {
      if (!started) await boot()
      return store.listTrades(userId, { sinceMs: options?.sinceMs ?? sessionStartMs() })
    },

    async positions(userId) {
      const rows = await snapshot(userId, (tx) =>
        tx
          .allPositions()
          .filter((p) => p.quantity !== 0 || p.session === tx.session)
          .sort(byInstrument),
      )
      const session = sessionOf(clock.now())
      const ltps = await mtm(rows)
      return rows.map((p): PositionView => {
        const ltp = ltps.get(instrumentKey(p.exchange, p.symbol)) ?? p.lastPrice
        const unrealized = unrealizedOf(p, ltp)
        const sessionRealized = p.session === session ? p.sessionRealizedPnl : ZERO
        const sessionPnl = (sessionRealized + unrealized) as Inr4
        const openValue = Math.abs(applyCv(p.cost, p.contractValueE4))
        return {
          symbol: p.symbol,
          exchange: p.exchange,
          product: p.product,
          quantity: p.quantity,
          averagePrice: averagePrice(p.cost, p.quantity),
          ltp,
          unrealizedPnl: unrealized,
          sessionRealizedPnl: sessionRealized,
          realizedPnl: p.realizedPnl,
          sessionPnl,
          pnlPercent: p.quantity === 0 || openValue === 0 ? 0 : (sessionPnl / openValue) * 100,
          contractValue: p.contractValueE4 / 10_000,
        }
      })
    },

    openPosition: (userId, symbol, exchange, product) =>
      snapshot(userId, (tx) => tx.position(positionKey(symbol, exchange, product))?.quantity ?? 0),

    async holdings(userId) {
      const rows = await snapshot(userId, (tx) =>
        tx
          .allHoldings()
          .filter((h) => h.quantity !== 0)
          .sort(byInstrument),
      )
      const views = await Promise.all(
        rows.map(async (h): Promise<HoldingView> => {
          const key = instrumentKey(h.exchange, h.symbol)
          const q = await prices.quote(h.symbol, h.exchange)
          if (q && q.ltp > 0) marks.set(key, q.ltp)
          const ltp = q && q.ltp > 0 ? q.ltp : (marks.get(key) ?? h.lastPrice)
          const currentValue = notional(ltp, h.quantity)
          const pnl = (currentValue - h.cost) as Inr4
          return {
            symbol: h.symbol,
            exchange: h.exchange,
            quantity: h.quantity,
            averagePrice: averagePrice(h.cost, h.quantity),
            ltp,
            investedValue: h.cost,
            currentValue,
            pnl,
            pnlPercent: h.cost === 0 ? 0 : (pnl / h.cost) * 100,
            settlementDay: h.settlementDay,
          }
        }),
      )
      const totalHoldingValue = views.reduce((a, v) => a + v.currentValue, 0) as Inr4
      const totalInvestedValue = views.reduce((a, v) => a + v.investedValue, 0) as Inr4
      const totalPnl = (totalHoldingValue - totalInvestedValue) as Inr4
      return {
        holdings: views,
        totalHoldingValue,
        totalInvestedValue,
        totalPnl,
        totalPnlPercent: totalInvestedValue === 0 ? 0 : (totalPnl / totalInvestedValue) * 100,
      }
    },

    async funds(userId) {
      const { f, open } = await snapshot(userId, (tx) => {
        // realize(0) rolls the session total over at the boundary without booking anything
        tx.realize(0)
        return { f: { ...tx.f }, open: tx.allPositions().filter((p) => p.quantity !== 0) }
      })
      const ltps = await mtm(open)
      let unrealized = 0
      for (const p of open)
        unrealized += unrealizedOf(p, ltps.get(instrumentKey(p.exchange, p.symbol)) ?? p.lastPrice)
      return {
        availableCash: f.available,
        collateral: ZERO,
        m2mUnrealized: unrealized as Inr4,
        m2mRealized: f.sessionRealizedPnl,
        utilisedDebits: f.utilised,
        totalRealizedPnl: f.realizedPnl,
        totalPnl: (f.realizedPnl + unrealized) as Inr4,
        holdingsCost: f.holdingsCost,
        startingCapital: f.startingCapital,
        deposits: f.deposits,
        lastResetAtMs: f.lastResetAtMs,
        resetCount: f.resetCount,
      }
    },

    audit: (userId) =>
      snapshot(userId, (tx): FundsAudit => {
        const f = tx.f
        const reservedByOrders = tx.activeOrders().reduce((a, o) => a + o.reservedMargin, 0)
        const positionMargin = tx.allPositions().reduce((a, p) => a + p.margin, 0)
        const groupMarginSum = tx.allGroups().reduce((a, g) => a + g.margin, 0)
        return {
          available: f.available,
          utilised: f.utilised,
          holdingsCost: f.holdingsCost,
          realizedPnl: f.realizedPnl,
          startingCapital: f.startingCapital,
          deposits: f.deposits,
          reservedByOrders: reservedByOrders as Inr4,
          positionMargin: positionMargin as Inr4,
          groupMargin: groupMarginSum as Inr4,
          identityHolds:
            f.available + f.utilised + f.holdingsCost - f.realizedPnl ===
            f.startingCapital + f.deposits,
          utilisedMatches: f.utilised === reservedByOrders + positionMargin + groupMarginSum,
        }
      }),

    sessionStartMs,

    restingSymbols: () =>
      index.symbols().map((key) => {
        const sep = key.indexOf(':')
        return { exchange: key.slice(0, sep), symbol: key.slice(sep + 1) }
      }),

    async close() {
      await queue.idle()
      await committer.idle()
      await store.close()
    },
  }
  return engine

  function simulate(
    positions: Position[],
    req: OrderRequest,
    info: InstrumentInfo,
    basis: Inr4,
    gk: string,
    userId: string,
  ): Position[] {
    const key = positionKey(req.symbol, req.exchange, req.product)
    const delta = req.action === 'BUY' ? req.quantity : -req.quantity
    const existing = positions.find((p) => positionKey(p.symbol, p.exchange, p.product) === key)
    const base: Position = existing ?? {
      userId,
      symbol: req.symbol,
      exchange: req.exchange,
      product: req.product,
      quantity: 0,
      cost: ZERO,
      margin: ZERO,
      realizedPnl: ZERO,
      sessionRealizedPnl: ZERO,
      session: '',
      lastPrice: basis,
      openedDay: '',
      tradeDay: '',
      updatedAtMs: 0,
      instrumentType: info.instrumentType,
      expiry: info.expiry ?? null,
      strike: info.strike ?? ZERO,
      contractValueE4: contractValueE4(info),
      marginGroup: gk,
    }
    const r = netFill(base.quantity, base.cost, delta, basis)
    const next: Position = { ...base, quantity: r.quantity, cost: r.cost }
    return [...positions.filter((p) => p !== existing), next]
  }

  function lotOf(req: OrderRequest): number {
    const info = instruments.get(req.symbol, req.exchange)
    return info && info.lotSize > 0 ? info.lotSize : 1
  }
}

/** stable report order: exchange, symbol, product */
function byInstrument(
  a: { exchange: string; symbol: string; product?: string },
  b: { exchange: string; symbol: string; product?: string },
): number {
  const ka = `${a.exchange}|${a.symbol}|${a.product ?? ''}`
  const kb = `${b.exchange}|${b.symbol}|${b.product ?? ''}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

function positive(v: Inr4 | undefined): Inr4 | undefined {
  return v !== undefined && v > 0 ? v : undefined
}

function refuse(code: SandboxError['code'], message: string): OrderResult {
  return { ok: false, error: new SandboxError(code, message) }
}

function notFound(orderId: string): OrderResult {
  return { ok: false, error: new SandboxError('order_not_found', `Order ${orderId} not found`) }
}

function notModifiable(o: Order, verb: 'modify' | 'cancel'): OrderResult {
  const status = o.status === 'trigger_pending' ? 'trigger pending' : o.status
  return {
    ok: false,
    error: new SandboxError('order_not_modifiable', `Cannot ${verb} order in ${status} status`),
  }
}
