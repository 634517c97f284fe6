import { describe, expect, it } from 'vitest'
import { collectGarbage, mallocTrim } from './heap.js'
import { glibcLinux, mallocBurst, rssMb } from './test-helpers/glibc.js'

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

// The addon is built by `pnpm build` (native/build.mjs), which `pnpm install` runs: on Linux with
// glibc and a C compiler (which better-sqlite3 needs anyway) it must be there.
describe.runIf(glibcLinux)('mallocTrim (the native addon)', () => {
  it('is built, and collectGarbage gives back the pages glibc kept under collected Buffers', async () => {
    expect(mallocTrim()).not.toBeNull()
    // ~100 MB of malloc'd Buffer memory freed by plain V8 collections: what glibc keeps
    const { loadedMb: loaded, freedMb: kept } = await mallocBurst(100_000, 1000)
    collectGarbage()
    const released = rssMb()
    // glibc kept most of it after the plain collections; the trim gave it back
    expect(loaded - kept).toBeLessThan(50)
    expect(kept - released).toBeGreaterThan(50)
  })
})
