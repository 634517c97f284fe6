import { describe, expect, it } from 'vitest'
import { createSemaphore } from './semaphore.js'

describe('semaphore', () => {
  it('runs at most `limit` tasks at once, in FIFO order, and frees slots on failure', async () => {
    const gate = createSemaphore(2)
    const order: number[] = []
    let running = 0
    let peak = 0
    const task = (id: number, fail = false) =>
      gate.run(async () => {
        running++
        peak = Math.max(peak, running)
        await new Promise((r) => setTimeout(r, 5))
        order.push(id)
        running--
        if (fail) throw new Error(`task ${id}`)
        return id
      })
    const results = await Promise.allSettled([task(1), task(2, true), task(3), task(4)])
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ])
    expect(peak).toBe(2)
    expect(order.slice(2).sort()).toEqual([3, 4])
    expect(gate.active).toBe(0)
  })
})
