/**
 * Resting orders by the instant a time rule may first act on them (MIS square-off cancel,
 * contract expiry, DAY expiry): a binary min-heap, so the poll that runs the time rules visits
 * only the orders that are due instead of every resting order (with 100k resting orders the full
 * scan stalled the event loop for ~200 ms every poll). Removal is lazy: a removed id leaves a
 * stale slot that is skipped when it surfaces, and the heap is rebuilt when stale slots
 * outnumber live ones.
 */
export class DueQueue {
  private at: number[] = []
  private ids: string[] = []
  /** live ids and their instants; a heap slot whose instant differs is stale */
  private readonly live = new Map<string, number>()

  get size(): number {
    return this.live.size
  }

  has(id: string): boolean {
    return this.live.has(id)
  }

  /**
   * queues `id` to be due at `atMs` (epoch ms); an id already queued keeps its instant, and one
   * never due (`Infinity`) is not kept
   */
  add(id: string, atMs: number): void {
    if (this.live.has(id) || atMs === Number.POSITIVE_INFINITY) return
    this.live.set(id, atMs)
    this.push(atMs, id)
  }

  /** forgets `id` (the order is no longer resting) */
  delete(id: string): void {
    if (!this.live.delete(id)) return
    if (this.at.length > 2 * this.live.size + 1024) this.rebuild()
  }

  /** removes and returns every id due at or before `nowMs`, earliest first */
  takeDue(nowMs: number): string[] {
    const out: string[] = []
    while (this.at.length > 0 && (this.at[0] as number) <= nowMs) {
      const at = this.at[0] as number
      const id = this.ids[0] as string
      this.popTop()
      if (this.live.get(id) !== at) continue
      this.live.delete(id)
      out.push(id)
    }
    return out
  }

  private push(atMs: number, id: string): void {
    let i = this.at.length
    this.at.push(atMs)
    this.ids.push(id)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if ((this.at[parent] as number) <= atMs) break
      this.swap(i, parent)
      i = parent
    }
  }

  private popTop(): void {
    const lastAt = this.at.pop() as number
    const lastId = this.ids.pop() as string
    if (this.at.length === 0) return
    this.at[0] = lastAt
    this.ids[0] = lastId
    this.siftDown(0)
  }

  private rebuild(): void {
    this.at = []
    this.ids = []
    for (const [id, at] of this.live) this.push(at, id)
  }

  private siftDown(start: number): void {
    const n = this.at.length
    let i = start
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) return
      const r = l + 1
      const c = r < n && (this.at[r] as number) < (this.at[l] as number) ? r : l
      if ((this.at[i] as number) <= (this.at[c] as number)) return
      this.swap(i, c)
      i = c
    }
  }

  private swap(a: number, b: number): void {
    const at = this.at[a] as number
    this.at[a] = this.at[b] as number
    this.at[b] = at
    const id = this.ids[a] as string
    this.ids[a] = this.ids[b] as string
    this.ids[b] = id
  }
}
