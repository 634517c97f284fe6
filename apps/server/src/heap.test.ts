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
