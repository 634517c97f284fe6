import { performance } from 'node:perf_hooks'
import type { BenchResult } from './report.js'

export interface OpsTiming {
  /** mean nanoseconds per call over all rounds */
  readonly nsPerOp: number
  /** calls per second */
  readonly opsPerSecond: number
  /** per-round ns/op, for spread */
  readonly rounds: readonly number[]
}

/** Times `fn` for `rounds` rounds of `batch` calls each, after a warm-up. */
export function timeOps(
  fn: () => unknown,
  options: { rounds?: number; batch?: number } = {},
): OpsTiming {
  const rounds = options.rounds ?? 20
  const batch = options.batch ?? 10_000
  for (let i = 0; i < batch; i++) fn()
  const per: number[] = []
  for (let r = 0; r < rounds; r++) per.push(oneRound(fn, batch))
  return summarize(per)
}

export interface CompareOpsOptions {
  /** result name; include the unit and "lower is better" as the operator contract asks */
  readonly name: string
  readonly baseline: () => unknown
  readonly candidate: () => unknown
  /** rounds of each, interleaved (baseline, candidate, baseline, ...) so noise hits both alike */
  readonly rounds?: number
  /** calls per round */
  readonly batch?: number
}

/**
 * Races `candidate` against `baseline` with interleaved rounds and returns a result in ns/op
 * (lower is better): `ratio = candidate ns / baseline ns`.
 */
export function compareOps(options: CompareOpsOptions): BenchResult {
  const rounds = options.rounds ?? 30
  const batch = options.batch ?? 20_000
  for (let i = 0; i < batch; i++) {
    options.baseline()
    options.candidate()
  }
  const base: number[] = []
  const cand: number[] = []
  for (let r = 0; r < rounds; r++) {
    base.push(oneRound(options.baseline, batch))
    cand.push(oneRound(options.candidate, batch))
  }
  // medians resist the odd round that a GC pause or the other core's load stretched
  const b = median(base)
  const c = median(cand)
  return {
    name: options.name,
    value: round3(c),
    unit: 'ns/op',
    baseline: round3(b),
    ratio: round3(c / b),
  }
}

function oneRound(fn: () => unknown, batch: number): number {
  const t0 = performance.now()
  for (let i = 0; i < batch; i++) fn()
  return ((performance.now() - t0) * 1e6) / batch
}

export function summarize(perRoundNs: readonly number[]): OpsTiming {
  const mean = perRoundNs.reduce((a, b) => a + b, 0) / Math.max(1, perRoundNs.length)
  return { nsPerOp: mean, opsPerSecond: mean > 0 ? 1e9 / mean : 0, rounds: perRoundNs }
}

/** The `p`-th percentile (0..100) of `values` by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

function median(values: readonly number[]): number {
  return percentile(values, 50)
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000
}
