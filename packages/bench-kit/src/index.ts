/**
 * `@oa/bench-kit`: how every oa benchmark measures and reports (spec operator.md "Benchmarks").
 * A result races a baseline measured in the same run and reports `ratio = value / baseline`
 * (say in the name when lower is better).
 *
 * @example
 * ```ts
 * import { compareOps, report } from '@oa/bench-kit'
 * const r = compareOps({
 *   name: 'symbol-cache getToken hit, ns/op (lower is better)',
 *   baseline: () => map.get(keys[i++ % keys.length]!),
 *   candidate: () => store.getToken(names[j++ % names.length]!, 'NSE'),
 * })
 * await report('symbol-cache', [r])
 * ```
 */
export { compareOps, timeOps, percentile, summarize } from './measure.js'
export type { CompareOpsOptions, OpsTiming } from './measure.js'
export { report, resultsDir, formatTable } from './report.js'
export type { BenchResult } from './report.js'
