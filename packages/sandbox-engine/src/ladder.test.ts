import { describe, expect, it } from 'vitest'
import { OrderIndex, PriceLadder } from './ladder.js'

describe('PriceLadder', () => {
  it('takes exactly the crossed levels, best price first, FIFO within a level', () => {
    const l = new PriceLadder()
    l.add(800, 'a')
    l.add(810, 'b')
    l.add(800, 'c')
    l.add(790, 'd')
    expect(l.takeAtOrAbove(800)).toEqual(['b', 'a', 'c'])
    expect(l.size).toBe(1)
    expect(l.takeAtOrAbove(800)).toEqual([])
    expect(l.takeAtOrBelow(795)).toEqual(['d'])
    expect(l.size).toBe(0)
  })

  it('removes a cancelled order from its level', () => {
    const l = new PriceLadder()
    l.add(100, 'a')
    l.add(100, 'b')
    expect(l.remove(100, 'a')).toBe(true)
    expect(l.remove(100, 'a')).toBe(false)
    expect(l.takeAtOrBelow(1000)).toEqual(['b'])
  })
})

describe('OrderIndex', () => {
  it('touches only the orders a quote crosses', () => {
    const ix = new OrderIndex()
    for (let i = 0; i < 1000; i++) ix.add('NSE:SBIN', 'buy_limit', 700 + (i % 100), `b${i}`)
    ix.add('NSE:SBIN', 'sell_stop', 650, 's1')
    ix.add('NSE:SBIN', 'buy_stop', 900, 'b-stop')
    ix.add('NSE:TCS', 'buy_limit', 5000, 'tcs')
    const c = ix.takeCrossed('NSE:SBIN', 799, 799, 799)
    expect(c.limits).toHaveLength(10)
    expect(c.stops).toEqual([])
    expect(ix.size).toBe(1000 - 10 + 3)
    expect(ix.takeCrossed('NSE:SBIN', 650, 650, 650).stops).toEqual(['s1'])
    expect(ix.symbols().sort()).toEqual(['NSE:SBIN', 'NSE:TCS'])
    ix.remove('tcs')
    expect(ix.has('tcs')).toBe(false)
  })
})
