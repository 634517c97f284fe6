/**
 * Resting orders of one side of one symbol, sorted by price (ascending levels, FIFO within a
 * level). A price update takes exactly the orders it crosses: O(log levels + crossed), instead of
 * the original's poll over every pending order (sandbox.md §11.1).
 */
export class PriceLadder {
  /** distinct prices, ascending */
  private readonly levels: number[] = []
  private readonly byPrice = new Map<number, Set<string>>()
  private count = 0

  get size(): number {
    return this.count
  }

  add(price: number, id: string): void {
    let level = this.byPrice.get(price)
    if (!level) {
      level = new Set()
      this.byPrice.set(price, level)
      this.levels.splice(this.lowerBound(price), 0, price)
    }
    if (!level.has(id)) {
      level.add(id)
      this.count++
    }
  }

  /** Removes `id` resting at `price`; false when it was not there. */
  remove(price: number, id: string): boolean {
    const level = this.byPrice.get(price)
    if (!level?.delete(id)) return false
    this.count--
    if (level.size === 0) {
      this.byPrice.delete(price)
      this.levels.splice(this.lowerBound(price), 1)
    }
    return true
  }

  /** Removes and returns ids at prices ≥ `price`, best (highest) first. */
  takeAtOrAbove(price: number): string[] {
    const out: string[] = []
    while (this.levels.length > 0) {
      const top = this.levels[this.levels.length - 1] as number
      if (top < price) break
      this.levels.pop()
      this.drain(top, out)
    }
    return out
  }

  /** Removes and returns ids at prices ≤ `price`, best (lowest) first. */
  takeAtOrBelow(price: number): string[] {
    const out: string[] = []
    let i = 0
    while (i < this.levels.length && (this.levels[i] as number) <= price) {
      this.drain(this.levels[i] as number, out)
      i++
    }
    if (i > 0) this.levels.splice(0, i)
    return out
  }

  private drain(price: number, out: string[]): void {
    const level = this.byPrice.get(price)
    if (!level) return
    for (const id of level) out.push(id)
    this.count -= level.size
    this.byPrice.delete(price)
  }

  private lowerBound(price: number): number {
    let lo = 0
    let hi = this.levels.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.levels[mid] as number) < price) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** Where a resting order sits in the book. */
export type RestingSide = 'buy_limit' | 'sell_limit' | 'buy_stop' | 'sell_stop'

interface Book {
  readonly buyLimit: PriceLadder
  readonly sellLimit: PriceLadder
  readonly buyStop: PriceLadder
  readonly sellStop: PriceLadder
}

/** The ids a price update crossed, by the rule that applies to each. */
export interface Crossed {
  /** limit orders whose price was reached */
  readonly limits: string[]
  /** stop orders whose trigger was reached */
  readonly stops: string[]
}

/**
 * All resting orders of all users, indexed by `exchange:symbol` and side: buy limits fill when
 * the market trades at or below them, sell limits at or above; buy stops trigger when the LTP
 * rises to them, sell stops when it falls to them.
 */
export class OrderIndex {
  private readonly books = new Map<string, Book>()
  private readonly where = new Map<string, { key: string; side: RestingSide; price: number }>()

  get size(): number {
    return this.where.size
  }

  /** instrument keys (`exchange:symbol`) with at least one resting order */
  symbols(): string[] {
    const out: string[] = []
    for (const [k, b] of this.books) {
      if (b.buyLimit.size + b.sellLimit.size + b.buyStop.size + b.sellStop.size > 0) out.push(k)
    }
    return out
  }

  has(id: string): boolean {
    return this.where.has(id)
  }

  add(key: string, side: RestingSide, price: number, id: string): void {
    this.remove(id)
    let book = this.books.get(key)
    if (!book) {
      book = {
        buyLimit: new PriceLadder(),
        sellLimit: new PriceLadder(),
        buyStop: new PriceLadder(),
        sellStop: new PriceLadder(),
      }
      this.books.set(key, book)
    }
    ladderOf(book, side).add(price, id)
    this.where.set(id, { key, side, price })
  }

  remove(id: string): void {
    const w = this.where.get(id)
    if (!w) return
    this.where.delete(id)
    const book = this.books.get(w.key)
    if (book) ladderOf(book, w.side).remove(w.price, id)
  }

  /**
   * Takes out every order a quote crosses. `buyPx`/`sellPx` are the prices a resting limit trades
   * against (the ask or LTP for buys, the bid or LTP for sells); stops use the LTP.
   */
  takeCrossed(key: string, ltp: number, buyPx: number, sellPx: number): Crossed {
    const book = this.books.get(key)
    if (!book) return { limits: [], stops: [] }
    const limits = [...book.buyLimit.takeAtOrAbove(buyPx), ...book.sellLimit.takeAtOrBelow(sellPx)]
    const stops = [...book.buyStop.takeAtOrBelow(ltp), ...book.sellStop.takeAtOrAbove(ltp)]
    for (const id of limits) this.where.delete(id)
    for (const id of stops) this.where.delete(id)
    return { limits, stops }
  }
}

function ladderOf(book: Book, side: RestingSide): PriceLadder {
  switch (side) {
    case 'buy_limit':
      return book.buyLimit
    case 'sell_limit':
      return book.sellLimit
    case 'buy_stop':
      return book.buyStop
    case 'sell_stop':
      return book.sellStop
  }
}
