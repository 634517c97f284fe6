// A full garbage collection on demand, for the moments after a one-off burst (the symbol-table
// load). The collection's few lines also live in apps/ws-proxy/src/heap.ts: apps never import each
// other, and process tuning does not belong in a library package. The native addon (malloc_trim,
// mallopt) is the server's alone (native/).
import { createRequire } from 'node:module'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Gc = () => void
let gc: Gc | undefined
type Trim = () => boolean
interface Addon {
  readonly mallocTrim: Trim
  /** absent from an addon built before it was added */
  readonly mallocTune?: (mmapThreshold: number, arenaMax: number) => boolean
}
let addon: Addon | null | undefined

/**
 * The optional addon `native/build.mjs` builds into `dist/native/` (next to this module once
 * built; `../dist/native/` from the sources), or null where it was not built (not Linux with
 * glibc, no compiler) or does not load.
 */
function nativeAddon(): Addon | null {
  if (addon === undefined) {
    addon = null
    const require = createRequire(import.meta.url)
    for (const path of ['./native/malloc-trim.node', '../dist/native/malloc-trim.node']) {
      try {
        addon = require(path) as Addon
        break
      } catch {
        // absent or built for another platform: the next place, or none
      }
    }
  }
  return addon
}

/** glibc's `malloc_trim(0)` from the native addon, or null without it. */
export function mallocTrim(): Trim | null {
  return nativeAddon()?.mallocTrim ?? null
}

/**
 * The glibc allocator settings of the Docker image (docker/Dockerfile), as environment: large
 * blocks (64 KiB and up) get their own mapping, which goes back to the OS when freed, and two
 * malloc arenas serve every thread instead of up to eight per core. The ws-proxy child is started
 * with them; the server applies them to itself with {@link tuneMalloc}.
 */
export const ALLOCATOR_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '65536' } as const

/** What {@link tuneMalloc} set; null for a setting the environment had already set. */
export interface MallocTuning {
  readonly mmapThreshold: number | null
  readonly arenaMax: number | null
}

/**
 * Applies {@link ALLOCATOR_ENV} to this process with `mallopt`, for each setting the operator's
 * environment did not set (glibc read those at process start, and they win). A process cannot
 * give itself environment that glibc reads, so the quick start's server would otherwise run
 * without them. Call it before the large allocations (the symbol load). Measured 20 s after the
 * api bench's quotes load at 153,772 instruments: server RSS 148 MB without, 141 MB with them
 * applied here (135-139 MB with either variable set before Node starts). Returns null where the
 * addon is not built (or predates `mallocTune`) or mallopt refused.
 *
 * Like the environment, the settings shape new allocations only: a large block is still carved
 * from free space glibc already holds before a fresh mapping is made.
 */
export function tuneMalloc(env: Readonly<Record<string, string | undefined>>): MallocTuning | null {
  const tune = nativeAddon()?.mallocTune
  if (tune === undefined) return null
  const mmapThreshold =
    env['MALLOC_MMAP_THRESHOLD_'] === undefined
      ? Number(ALLOCATOR_ENV.MALLOC_MMAP_THRESHOLD_)
      : null
  const arenaMax =
    env['MALLOC_ARENA_MAX'] === undefined ? Number(ALLOCATOR_ENV.MALLOC_ARENA_MAX) : null
  return tune(mmapThreshold ?? 0, arenaMax ?? 0) ? { mmapThreshold, arenaMax } : null
}

/**
 * Collects garbage now, with V8's full (mark-compact) collector. A 120k-instrument load leaves
 * ~60-100 MB of dead rows, pages and builder buffers behind; a process that then goes quiet keeps
 * that heap committed (and glibc keeps the pages under it) until V8's memory reducer gets to it,
 * measured 30-70 s later. One collection right after the load costs tens of milliseconds.
 *
 * With `compact`, the collection also moves the survivors out of sparsely used old-generation
 * pages so those pages go back to the OS (V8's `--compact-on-every-full-gc`, on for this one
 * collection): a plain full collection frees the objects but keeps every page that still holds
 * one. Measured after an API burst: old space 28 MB committed (11 MB live) stays 28 MB with a
 * plain collection, 6 MB with a compacting one.
 *
 * Then, where the addon is built (`mallocTrim`), glibc gives back the pages the collection freed
 * under malloc'd memory (Buffers, parser and SQLite allocations): glibc keeps them for later
 * mallocs otherwise. Measured on the server alone, settled after a quotes load at 153,772
 * instruments: 186 MB RSS without the trim, 146 MB with it; the trim takes ~20-30 ms.
 *
 * Uses `global.gc` when the process runs with `--expose-gc`; otherwise it turns the flag on and
 * takes `gc` from a fresh context, as Jest's leak detector does (the flag only affects contexts
 * created afterwards, so the main context's globals are unchanged).
 */
export function collectGarbage(options: { readonly compact?: boolean } = {}): void {
  if (gc === undefined) {
    const exposed = (globalThis as { gc?: unknown }).gc
    if (typeof exposed === 'function') gc = exposed as Gc
    else {
      setFlagsFromString('--expose-gc')
      gc = runInNewContext('gc') as Gc
    }
  }
  if (options.compact !== true) gc()
  else {
    setFlagsFromString('--compact-on-every-full-gc')
    try {
      gc()
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc')
    }
  }
  mallocTrim()?.()
}
