// One compacting garbage collection when the process goes quiet after a burst (API traffic, a
// master-contract download). V8 gives a burst's memory back on its own only when its memory
// reducer runs, measured 30-70 s later; until then the young generation stays at its grown size
// (16 MB per semi-space) and the old generation keeps the pages the burst's survivors spread over.
// Measured on the api bench's bare Hono process: 111 MB RSS 6 s after the load, 61 MB after this.
import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8'
import { collectGarbage } from './heap.js'

/** What the idle collector reads and does; the real process's by default (tests inject theirs). */
export interface IdleGcDeps {
  /** monotonic milliseconds */
  readonly now: () => number
  /** share of the time since the previous call the event loop was busy, 0..1 */
  readonly busyShare: () => number
  /** bytes the V8 heap holds from the OS now (committed, live or not) */
  readonly heapBytes: () => number
  /** bytes of that heap objects take now (live, or garbage not yet collected) */
  readonly heapUsedBytes: () => number
  /** bytes the young generation holds now */
  readonly youngBytes: () => number
  /** a full, compacting collection */
  readonly collect: () => void
  readonly setInterval: (fn: () => void, ms: number) => { unref?: () => unknown }
  readonly clearInterval: (handle: unknown) => void
}

export interface IdleGcOptions {
  /** how often to look, ms; default 1,000 */
  readonly checkEveryMs?: number
  /**
   * quiet time before collecting, ms; default 6,000. V8 shrinks the young generation only when its
   * allocation rate over the last 5 s is low, so an earlier collection would keep it grown.
   */
  readonly quietMs?: number
  /** a check with the loop busier than this share ends the quiet; default 0.05 */
  readonly busyAbove?: number
  /**
   * collect only when the heap holds at least this much more than objects took right after the
   * last collection (at startup: than they took then); default 16 MiB
   */
  readonly minGrowthBytes?: number
  /**
   * a young generation still holding more than this after a collection (default 8 MiB) is
   * collected again at later quiet checks, up to `youngRetries` times (default 10). V8 shrinks it
   * only when it judges the allocation rate low, and a first collection after a burst often
   * leaves it at its grown 32 MB; measured, a later one shrinks it to 1-2 MB.
   */
  readonly youngAboveBytes?: number
  readonly youngRetries?: number
  /** told after each collection: how long it took and the heap before and after */
  readonly onCollect?: (info: IdleCollection) => void
}

/** One idle collection, for the log. */
export interface IdleCollection {
  readonly durationMs: number
  readonly heapBeforeBytes: number
  readonly heapAfterBytes: number
  /** collected again only because the young generation stayed grown */
  readonly retry: boolean
}

export interface IdleGc {
  /** collections done so far */
  readonly collections: () => number
  /** one check now (the timer calls this) */
  readonly check: () => void
  readonly stop: () => void
}

export function realIdleGcDeps(): IdleGcDeps {
  let last: EventLoopUtilization = performance.eventLoopUtilization()
  return {
    now: () => performance.now(),
    busyShare: () => {
      const current = performance.eventLoopUtilization()
      const delta = performance.eventLoopUtilization(current, last)
      last = current
      return delta.utilization
    },
    heapBytes: () => getHeapStatistics().total_heap_size,
    heapUsedBytes: () => getHeapStatistics().used_heap_size,
    youngBytes: () =>
      getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0,
    collect: () => collectGarbage({ compact: true }),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  }
}

/**
 * Watches the event loop and the heap; once the loop has been quiet for `quietMs` after some
 * traffic and the heap holds `minGrowthBytes` more than objects took after the last collection
 * (at startup: than they took then), collects once; then again at later quiet checks while the
 * young generation stays grown (`youngAboveBytes`, at most `youngRetries` times). It never
 * collects during a burst (a busy check restarts the quiet time), and not again while idle (no
 * traffic since). The timer is unref'd: it never keeps the process alive.
 */
export function startIdleGc(
  options: IdleGcOptions = {},
  deps: IdleGcDeps = realIdleGcDeps(),
): IdleGc {
  const checkEveryMs = options.checkEveryMs ?? 1_000
  const quietMs = options.quietMs ?? 6_000
  const busyAbove = options.busyAbove ?? 0.05
  const minGrowthBytes = options.minGrowthBytes ?? 16 * 1024 * 1024
  const youngAbove = options.youngAboveBytes ?? 8 * 1024 * 1024
  const youngRetries = options.youngRetries ?? 10
  /** collections still allowed for a young generation that stayed grown */
  let retriesLeft = 0
  let quietSince = deps.now()
  // what objects took right after the last collection; at startup, what they take now. The heap
  // holding much more than that (a burst's garbage, its grown young generation) is the slack a
  // collection gives back. Counting from what the heap held instead missed a startup's slack (the
  // master contract, the symbol load) and a young generation that stayed grown.
  let live = deps.heapUsedBytes()
  // a busy check since the last collection (startup counts): an idle server is not collected again
  let active = true
  let collections = 0

  const check = (): void => {
    const now = deps.now()
    if (deps.busyShare() > busyAbove) {
      quietSince = now
      active = true
      return
    }
    if (now - quietSince < quietMs) return
    const heap = deps.heapBytes()
    const slack = active && heap - live >= minGrowthBytes
    const retry = !slack && retriesLeft > 0 && deps.youngBytes() > youngAbove
    if (!slack && !retry) return
    deps.collect()
    deps.busyShare() // the collection's own time is not traffic: start the next window after it
    collections++
    active = false
    live = deps.heapUsedBytes()
    retriesLeft = deps.youngBytes() <= youngAbove ? 0 : slack ? youngRetries : retriesLeft - 1
    options.onCollect?.({
      durationMs: deps.now() - now,
      heapBeforeBytes: heap,
      heapAfterBytes: deps.heapBytes(),
      retry,
    })
  }
  const handle = deps.setInterval(check, checkEveryMs)
  handle.unref?.()
  return {
    collections: () => collections,
    check,
    stop: () => deps.clearInterval(handle),
  }
}
