// A full garbage collection on demand, for the moments after a one-off burst (the symbol-table
// load). The same few lines live in apps/ws-proxy/src/heap.ts: apps never import each other, and
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
 * Uses `global.gc` when the process runs with `--expose-gc`; otherwise it turns the flag on and
 * takes `gc` from a fresh context, as Jest's leak detector does (the flag only affects contexts
 * created afterwards, so the main context's globals are unchanged).
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    const exposed = (globalThis as { gc?: unknown }).gc
    if (typeof exposed === 'function') gc = exposed as Gc
    else {
      setFlagsFromString('--expose-gc')
      gc = runInNewContext('gc') as Gc
    }
  }
  gc()
}
