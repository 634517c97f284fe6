import { describe, expect, it } from 'vitest'
import { DueQueue } from './due-queue.js'

describe('DueQueue', () => {
  it('hands out exactly the orders due by now, earliest first, each once', () => {
    const q = new DueQueue()
    q.add('c', 30)
    q.add('a', 10)
    q.add('d', 40)
    q.add('b', 20)
    q.add('a', 5) // already queued: keeps 10
    expect(q.takeDue(9)).toEqual([])
    expect(q.takeDue(25)).toEqual(['a', 'b'])
    expect(q.has('a')).toBe(false)
    expect(q.takeDue(25)).toEqual([])
    q.add('a', 35)
    expect(q.takeDue(100)).toEqual(['c', 'a', 'd'])
    expect(q.size).toBe(0)
  })

  it('never hands out an order it forgot, and keeps no order that is never due', () => {
    const q = new DueQueue()
    q.add('filled', 10)
    q.add('resting', 20)
    q.add('crypto', Number.POSITIVE_INFINITY)
    q.delete('filled')
    expect(q.size).toBe(1)
    q.add('filled', 30) // queued again later: only the new instant counts
    expect(q.takeDue(25)).toEqual(['resting'])
    expect(q.takeDue(Number.POSITIVE_INFINITY)).toEqual(['filled'])
  })

  it('stays small when most orders leave before they are due', () => {
    const q = new DueQueue()
    for (let i = 0; i < 50_000; i++) {
      q.add(`o${i}`, 1_000 + i)
      if (i % 100 !== 0) q.delete(`o${i}`)
    }
    expect(q.size).toBe(500)
    expect(q.takeDue(Number.POSITIVE_INFINITY)).toHaveLength(500)
  })

  it('orders 10,000 random instants like a sort does', () => {
    const q = new DueQueue()
    let seed = 7
    const rand = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648)
    const all = Array.from({ length: 10_000 }, (_, i) => ({ id: `o${i}`, at: rand() % 1000 }))
    for (const o of all) q.add(o.id, o.at)
    const out: number[] = []
    for (let now = 0; now < 1000; now += 37) {
      for (const id of q.takeDue(now)) out.push(Number(id.slice(1)))
    }
    out.push(...q.takeDue(Infinity).map((id) => Number(id.slice(1))))
    const ats = out.map((i) => all[i]?.at ?? -1)
    expect(out).toHaveLength(10_000)
    expect(new Set(out).size).toBe(10_000)
    expect(ats).toEqual([...ats].sort((x, y) => x - y))
  })
})
