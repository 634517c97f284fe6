// A full garbage collection on demand, for the moments after a one-off burst (the symbol-table
// load). The same few lines live in apps/server/src/heap.ts: apps never import each other, and
// process tuning does not belong in a library package.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Gc = () => void
let gc: Gc | undefined

/**
 * Collects garbage now, with V8's full (mark-compact) collector. A 120k-instrument load leaves
 * ~60-100 MB of dead rows, pages and builder buffers behind; a process that then goes quiet keeps
 * that heap committed (and glibc keeps the pages under it) until V8's memory reducer gets to it,
 * measured 30-70 s later. One collection right after the load costs tens of milliseconds.
 *
 * With `compact`, the collection also moves the survivors out of sparsely used old-generation
 * pages so those pages go back to the OS (V8's `--compact-on-every-full-gc`, on for this one
 * collection): a plain full collection frees the objects but keeps every page that still holds
 * one, and a load interleaves the rows it keeps with the garbage it drops.
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
  if (options.compact !== true) {
    gc()
    return
  }
  setFlagsFromString('--compact-on-every-full-gc')
  try {
    gc()
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc')
  }
}

/** A compacting {@link collectGarbage}, for the moment a symbol load has ended. */
export function collectLoadGarbage(): void {
  collectGarbage({ compact: true })
}
