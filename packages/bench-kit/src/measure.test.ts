import { describe, expect, it } from 'vitest'
import { compareOps, percentile } from './measure.js'
import { formatTable } from './report.js'

describe('bench-kit', () => {
  it('reports a ratio above 1 when the candidate does more work than the baseline', () => {
    let sink = 0
    const r = compareOps({
      name: 'work, ns/op (lower is better)',
      baseline: () => (sink += 1),
      candidate: () => {
        for (let i = 0; i < 200; i++) sink += i
      },
      rounds: 5,
      batch: 2_000,
    })
    expect(r.unit).toBe('ns/op')
    expect(r.ratio).toBeGreaterThan(1)
    expect(sink).toBeGreaterThan(0)
  })

  it('takes nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(v, 50)).toBe(50)
    expect(percentile(v, 99)).toBe(99)
    expect(percentile([3], 99)).toBe(3)
  })

  it('formats a table with the baseline column', () => {
    const t = formatTable('x', [{ name: 'a', value: 2, unit: 'ms', baseline: 1, ratio: 2 }])
    expect(t).toContain('baseline (same run)')
    expect(t).toContain('2.00 ms')
  })
})
