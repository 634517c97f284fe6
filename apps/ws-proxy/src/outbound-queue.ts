/**
 * One client's bounded outbound queue with conflation (streaming.md §4.2 "Backpressure"). Frames
 * wait here while the socket is over its high-water mark. Then a market-data frame for an
 * instrument and mode replaces the one still waiting for the same key (the client wants the
 * latest value, not a backlog); the replaced frame's `seq` is never sent, so a gap in `seq` tells
 * the client how many updates were conflated. A client that keeps up gets every frame. Control
 * frames (responses, order updates, feed status) are never conflated.
 *
 * Frames are stored as UTF-8 JSON without the closing brace and leave with `,"seq":N}` appended:
 * a market payload is serialized and encoded once per tick and mode and the same bytes are
 * shared by every client of that mode; per client there is only one small copy with its `seq`.
 */

interface Entry {
  readonly open: Buffer
  readonly seq: number
  /** market frames: the conflation key; undefined for control frames */
  readonly key: string | undefined
  dead: boolean
}

/** See the module comment. */
export interface OutboundQueue {
  /** Queues a control frame; false when the queue is full of control frames (evict the client). */
  pushControl(open: string): boolean
  /**
   * Queues a market frame. With `conflate` (the socket is backed up) it replaces the waiting
   * frame with the same key; without, it is appended (a client that keeps up gets every tick).
   */
  pushMarket(key: string, open: Buffer, conflate: boolean): void
  /** The next frame (with its `seq`), or undefined when empty. */
  shift(): Buffer | undefined
  /** Numbers a frame that skips the queue (sent at once because nothing is waiting). */
  direct(open: Buffer): Buffer
  /** frames waiting */
  readonly size: number
  /** market frames replaced by a newer one, since creation */
  readonly conflated: number
  /** market frames dropped because the queue was full, since creation */
  readonly dropped: number
  /** the last `seq` handed out */
  readonly seq: number
  clear(): void
}

/** `open` + `,"seq":N}` in one buffer (one copy; Node's pool serves small allocations). */
export function withSeq(open: Buffer, seq: number): Buffer {
  const tail = `,"seq":${seq}}`
  const out = Buffer.allocUnsafe(open.length + tail.length)
  open.copy(out, 0)
  out.write(tail, open.length, 'latin1')
  return out
}

/** Creates an empty queue holding at most `maxFrames` frames (at least 1). */
export function createOutboundQueue(maxFrames: number): OutboundQueue {
  const max = Math.max(1, maxFrames)
  let entries: Entry[] = []
  let head = 0
  let live = 0
  let seq = 0
  let conflated = 0
  let dropped = 0
  const byKey = new Map<string, Entry>()

  const compact = (): void => {
    if (head > 1024 && head * 2 > entries.length) {
      entries = entries.slice(head)
      head = 0
    }
  }

  /** Drops the oldest waiting market frame; false when there is none. */
  const dropOldestMarket = (): boolean => {
    for (let i = head; i < entries.length; i++) {
      const e = entries[i]
      if (e === undefined || e.dead || e.key === undefined) continue
      e.dead = true
      if (byKey.get(e.key) === e) byKey.delete(e.key)
      live--
      dropped++
      return true
    }
    return false
  }

  return {
    pushControl(open) {
      if (live >= max && !dropOldestMarket()) return false
      entries.push({ open: Buffer.from(open), seq: ++seq, key: undefined, dead: false })
      live++
      return true
    },
    pushMarket(key, open, conflate) {
      if (conflate) {
        const waiting = byKey.get(key)
        if (waiting !== undefined) {
          waiting.dead = true
          live--
          conflated++
        } else if (live >= max) {
          dropOldestMarket()
        }
        const entry: Entry = { open, seq: ++seq, key, dead: false }
        entries.push(entry)
        byKey.set(key, entry)
        live++
        return
      }
      // keeping up: no index (and no hashing) until the socket backs up
      if (live >= max) dropOldestMarket()
      entries.push({ open, seq: ++seq, key, dead: false })
      live++
    },
    shift() {
      while (head < entries.length) {
        const e = entries[head++] as Entry
        if (e.dead) continue
        live--
        if (e.key !== undefined && byKey.get(e.key) === e) byKey.delete(e.key)
        if (head === entries.length) {
          entries = []
          head = 0
        } else compact()
        return withSeq(e.open, e.seq)
      }
      return undefined
    },
    direct(open) {
      return withSeq(open, ++seq)
    },
    get size() {
      return live
    },
    get conflated() {
      return conflated
    },
    get dropped() {
      return dropped
    },
    get seq() {
      return seq
    },
    clear() {
      entries = []
      head = 0
      live = 0
      byKey.clear()
    },
  }
}
