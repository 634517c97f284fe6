import { describe, expect, it } from 'vitest'
import { collectGarbage } from './heap.js'

describe('collectGarbage', () => {
  it('frees unreachable objects now, without --expose-gc', async () => {
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined()
    const ref = new WeakRef({ rows: Array.from({ length: 1000 }, (_, i) => ({ i })) })
    // a WeakRef keeps its target alive until the current job ends
    await new Promise((resolve) => setImmediate(resolve))
    collectGarbage()
    expect(ref.deref()).toBeUndefined()
    // the main context's globals are unchanged
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined()
  })
})

describe('collectGarbage({ compact: true })', () => {
  it('gives back old-generation pages a plain collection keeps for a few survivors', async () => {
    const { getHeapSpaceStatistics } = await import('node:v8')
    const oldSpaceMb = () =>
      (getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_size ?? 0) /
      1024 /
      1024
    collectGarbage({ compact: true })
    const before = oldSpaceMb()
    // ~40 MB of small objects promoted to the old generation, then all but 1 in 64 dropped
    let rows: { i: number; s: string }[] | null = Array.from({ length: 400_000 }, (_, i) => ({
      i,
      s: `row-${i}-${'x'.repeat(40)}`,
    }))
    collectGarbage()
    collectGarbage()
    const survivors = rows.filter((_, i) => i % 64 === 0)
    rows = null
    await new Promise((resolve) => setImmediate(resolve))
    collectGarbage()
    const plain = oldSpaceMb()
    collectGarbage({ compact: true })
    const compacted = oldSpaceMb()
    expect(survivors.length).toBe(6250)
    expect(plain - before).toBeGreaterThan(10)
    expect(compacted).toBeLessThan(plain - 10)
  })
})
