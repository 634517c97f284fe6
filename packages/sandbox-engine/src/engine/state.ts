import { invariant } from '../errors.js'
import { addInr4, type Inr4 } from '../money.js'
import { type CommitBatch, holdingKey, positionKey } from '../store/store.js'
import type { DueQueue } from './due-queue.js'
import type { Funds, Holding, JobRun, MarginGroup, Order, Position, Trade } from '../types.js'
import { fundsRecord, holdingRecord, orderRecord, positionRecord } from './records.js'

/** One user's live state, as the engine keeps it in memory between commits. */
export interface UserState {
  readonly userId: string
  funds: Funds
  readonly positions: Map<string, Position>
  readonly holdings: Map<string, Holding>
  readonly groups: Map<string, MarginGroup>
  /** resting orders (`open`, `trigger_pending`) by id */
  readonly active: Map<string, Order>
  /** resting orders by when a time rule may first act on them (DAY, MIS cut-off, expiry) */
  readonly due: DueQueue
  readonly jobKeys: Set<string>
  /** IST date on which the state-only housekeeping (T+1, reset) last ran */
  housekeptDay: string
  /** next scheduled reset instant, epoch ms (Infinity when resets are off) */
  nextResetAtMs: number
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * The draft of one event on one user's state: reads see the draft over the state, writes stay
 * in the draft until `apply` makes them live, when the batch is staged for the store's group
 * commit. A failed commit makes the engine drop the user's live state and reload it from the
 * store, so memory is never left ahead of the database.
 */
export class Tx {
  readonly f: Mutable<Funds>
  readonly orders = new Map<string, Order>()
  readonly trades: Trade[] = []
  private readonly pos = new Map<string, Position | null>()
  private readonly hold = new Map<string, Holding | null>()
  private readonly grp = new Map<string, MarginGroup | null>()
  readonly jobRuns: JobRun[] = []
  /** effects on engine indexes, run when the draft becomes live */
  readonly after: (() => void)[] = []
  /**
   * a commit still pending that the command's answer depends on (an idempotent retry answered
   * with an order whose group is not written yet): the answer waits for it
   */
  dependsOn: Promise<void> | undefined = undefined
  private fundsChanged = false

  constructor(
    readonly s: UserState,
    readonly now: number,
    /** trading session of `now` */
    readonly session: string,
    /** IST date of `now` */
    readonly today: string,
  ) {
    this.f = fundsRecord(s.funds)
  }

  get dirty(): boolean {
    return (
      this.fundsChanged ||
      this.orders.size > 0 ||
      this.trades.length > 0 ||
      this.pos.size > 0 ||
      this.hold.size > 0 ||
      this.grp.size > 0 ||
      this.jobRuns.length > 0
    )
  }

  order(id: string): Order | undefined {
    return this.orders.get(id) ?? this.s.active.get(id)
  }

  /** stores the order in the draft and returns the stored record */
  putOrder(o: Order): Order {
    const r = orderRecord(o)
    this.orders.set(r.orderId, r)
    return r
  }

  /** resting orders as of this draft */
  activeOrders(): Order[] {
    const out: Order[] = []
    for (const o of this.s.active.values()) {
      const d = this.orders.get(o.orderId) ?? o
      if (isActive(d)) out.push(d)
    }
    for (const o of this.orders.values()) {
      if (!this.s.active.has(o.orderId) && isActive(o)) out.push(o)
    }
    return out
  }

  position(key: string): Position | undefined {
    const p = this.pos.get(key)
    return p === null ? undefined : (p ?? this.s.positions.get(key))
  }

  putPosition(p: Position): void {
    this.pos.set(positionKey(p.symbol, p.exchange, p.product), positionRecord(p))
  }

  deletePosition(key: string): void {
    this.pos.set(key, null)
  }

  allPositions(): Position[] {
    return merged(this.s.positions, this.pos)
  }

  holding(key: string): Holding | undefined {
    const h = this.hold.get(key)
    return h === null ? undefined : (h ?? this.s.holdings.get(key))
  }

  putHolding(h: Holding): void {
    this.hold.set(holdingKey(h.symbol, h.exchange), holdingRecord(h))
  }

  deleteHolding(key: string): void {
    this.hold.set(key, null)
  }

  allHoldings(): Holding[] {
    return merged(this.s.holdings, this.hold)
  }

  group(key: string): MarginGroup | undefined {
    const g = this.grp.get(key)
    return g === null ? undefined : (g ?? this.s.groups.get(key))
  }

  putGroup(g: MarginGroup): void {
    this.grp.set(g.groupKey, g)
  }

  deleteGroup(key: string): void {
    this.grp.set(key, null)
  }

  allGroups(): MarginGroup[] {
    return merged(this.s.groups, this.grp)
  }

  hasJob(key: string): boolean {
    return this.s.jobKeys.has(key) || this.jobRuns.some((j) => j.jobKey === key)
  }

  /** records that a job ran, once per key */
  addJob(key: string): void {
    if (!this.hasJob(key))
      this.jobRuns.push({ userId: this.s.userId, jobKey: key, ranAtMs: this.now })
  }

  /** cash → margin (a negative amount releases) */
  reserve(amount: number): void {
    if (amount === 0) return
    this.f.available = addInr4(this.f.available, -amount)
    this.f.utilised = addInr4(this.f.utilised, amount)
    this.fundsChanged = true
  }

  /** margin → cash */
  release(amount: number): void {
    this.reserve(-amount)
  }

  /** books realized PnL into cash, all-time and session totals */
  realize(pnl: number): void {
    if (this.f.session !== this.session) {
      this.f.session = this.session
      this.f.sessionRealizedPnl = 0 as Inr4
      this.fundsChanged = true
    }
    if (pnl === 0) return
    this.f.available = addInr4(this.f.available, pnl)
    this.f.realizedPnl = addInr4(this.f.realizedPnl, pnl)
    this.f.sessionRealizedPnl = addInr4(this.f.sessionRealizedPnl, pnl)
    this.fundsChanged = true
  }

  /** T+1 of a CNC buy: its margin and the rest of its cost become holdings cost */
  moveToHoldings(cost: Inr4, margin: Inr4): void {
    this.f.utilised = addInr4(this.f.utilised, -margin)
    this.f.available = addInr4(this.f.available, -(cost - margin))
    this.f.holdingsCost = addInr4(this.f.holdingsCost, cost)
    this.fundsChanged = true
  }

  /** T+1 of a CNC sell: the holding's cost leaves, the proceeds arrive, the difference is PnL */
  sellFromHoldings(costPortion: Inr4, proceeds: Inr4): void {
    this.f.holdingsCost = addInr4(this.f.holdingsCost, -costPortion)
    this.f.available = addInr4(this.f.available, costPortion)
    this.fundsChanged = true
    this.realize(proceeds - costPortion)
  }

  /** adds (or with a negative amount withdraws) cash */
  deposit(amount: Inr4): void {
    this.f.available = addInr4(this.f.available, amount)
    this.f.deposits = addInr4(this.f.deposits, amount)
    this.fundsChanged = true
  }

  /** replaces the funds row (reset) */
  replaceFunds(f: Funds): void {
    Object.assign(this.f, f)
    this.fundsChanged = true
  }

  /** the funds identity; a violation is a bug, so it throws before anything is written */
  checkInvariant(): void {
    const f = this.f
    if (
      f.available + f.utilised + f.holdingsCost - f.realizedPnl ===
        f.startingCapital + f.deposits &&
      f.utilised >= 0
    ) {
      return
    }
    invariant(
      f.available + f.utilised + f.holdingsCost - f.realizedPnl === f.startingCapital + f.deposits,
      `funds identity for ${f.userId}: available ${f.available} + utilised ${f.utilised} + holdings ${f.holdingsCost} − realized ${f.realizedPnl} ≠ capital ${f.startingCapital} + deposits ${f.deposits}`,
    )
    invariant(f.utilised >= 0, `utilised margin of ${f.userId} went negative: ${f.utilised}`)
  }

  batch(): CommitBatch {
    const positions: Position[] = []
    const deletedPositions: { symbol: string; exchange: string; product: Position['product'] }[] =
      []
    for (const [k, p] of this.pos) {
      if (p) positions.push(p)
      else {
        const old = this.s.positions.get(k)
        if (old)
          deletedPositions.push({
            symbol: old.symbol,
            exchange: old.exchange,
            product: old.product,
          })
      }
    }
    const holdings: Holding[] = []
    const deletedHoldings: { symbol: string; exchange: string }[] = []
    for (const [k, h] of this.hold) {
      if (h) holdings.push(h)
      else {
        const old = this.s.holdings.get(k)
        if (old) deletedHoldings.push({ symbol: old.symbol, exchange: old.exchange })
      }
    }
    const marginGroups: MarginGroup[] = []
    const deletedMarginGroups: string[] = []
    for (const [k, g] of this.grp) {
      if (g) marginGroups.push(g)
      else if (this.s.groups.has(k)) deletedMarginGroups.push(k)
    }
    return {
      userId: this.s.userId,
      orders: [...this.orders.values()],
      trades: this.trades,
      positions,
      deletedPositions,
      holdings,
      deletedHoldings,
      marginGroups,
      deletedMarginGroups,
      funds: this.fundsOut(),
      jobRuns: this.jobRuns,
    }
  }

  private fundsOut(): Funds {
    const f = fundsRecord(this.f)
    f.updatedAtMs = this.now
    return f
  }

  /** makes the draft live (once its batch is staged) and runs the index effects */
  apply(): void {
    const s = this.s
    s.funds = this.fundsOut()
    for (const o of this.orders.values()) {
      if (isActive(o)) s.active.set(o.orderId, o)
      else s.active.delete(o.orderId)
    }
    applyMap(s.positions, this.pos)
    applyMap(s.holdings, this.hold)
    applyMap(s.groups, this.grp)
    for (const j of this.jobRuns) s.jobKeys.add(j.jobKey)
    for (const fn of this.after) fn()
  }
}

/** true for `open` and `trigger_pending` */
export function isActive(o: Order): boolean {
  return o.status === 'open' || o.status === 'trigger_pending'
}

function merged<T>(base: Map<string, T>, draft: Map<string, T | null>): T[] {
  const out: T[] = []
  for (const [k, v] of base) {
    const d = draft.get(k)
    if (d === undefined) out.push(v)
  }
  for (const v of draft.values()) if (v) out.push(v)
  return out
}

function applyMap<T>(base: Map<string, T>, draft: Map<string, T | null>): void {
  for (const [k, v] of draft) {
    if (v) base.set(k, v)
    else base.delete(k)
  }
}
