import { describe, expect, it } from 'vitest'
import { createSubscriptionBook } from './subscription-book.js'

const sbin = { symbol: 'SBIN', exchange: 'NSE' } as const
const nifty = { symbol: 'NIFTY', exchange: 'NSE_INDEX' } as const

describe('subscription book', () => {
  it('turns LTP → Quote → Depth → Quote → none on one instrument into the minimal broker calls', () => {
    const book = createSubscriptionBook<string>()
    const calls = [
      book.add('a', sbin, 1),
      book.add('a', sbin, 2),
      book.add('a', sbin, 3),
      book.remove('a', sbin, 3),
      book.remove('a', sbin, 2),
      book.remove('a', sbin, 1),
    ].map((c) => (c === undefined ? 'none' : `${c.from}→${c.to}`))
    expect(calls).toEqual(['0→1', '1→2', '2→3', '3→2', '2→1', '1→0'])
    expect(book.size).toBe(0)
  })

  it('tells the broker nothing when a second client joins at a lower or equal mode', () => {
    const book = createSubscriptionBook<string>()
    expect(book.add('a', sbin, 2)).toMatchObject({ from: 0, to: 2 })
    expect(book.add('b', sbin, 1)).toBeUndefined()
    expect(book.add('c', sbin, 2)).toBeUndefined()
    expect(book.add('a', sbin, 2)).toBeUndefined()
  })

  it('keeps delivering to the remaining client when one of two leaves, without duplicates', () => {
    const book = createSubscriptionBook<string>()
    book.add('a', sbin, 1)
    book.add('b', sbin, 3)
    expect(book.recipients(sbin, 3)).toEqual([
      { client: 'a', mode: 1, depth: 5 },
      { client: 'b', mode: 3, depth: 5 },
    ])
    // b leaves: the broker drops to LTP; a still gets every tick, once
    expect(book.removeClient('b')).toEqual([{ ref: sbin, from: 3, to: 1, depth: 5 }])
    expect(book.recipients(sbin, 1)).toEqual([{ client: 'a', mode: 1, depth: 5 }])
  })

  it('does not deliver an LTP-only packet to Quote subscribers', () => {
    const book = createSubscriptionBook<string>()
    book.add('a', sbin, 2)
    expect(book.recipients(sbin, 1)).toEqual([])
  })

  it('removes every mode of a client when unsubscribe names no mode', () => {
    const book = createSubscriptionBook<string>()
    book.add('a', sbin, 1)
    book.add('a', sbin, 3)
    expect(book.remove('a', sbin)).toEqual({ ref: sbin, from: 3, to: 0, depth: 5 })
    expect(book.subscriptionsOf('a')).toEqual([])
  })

  it('raises the depth for a 20-level subscriber and lowers it when they leave', () => {
    const book = createSubscriptionBook<string>()
    book.add('a', sbin, 3)
    expect(book.add('b', sbin, 3, 20)).toEqual({ ref: sbin, from: 3, to: 3, depth: 20 })
    expect(book.remove('b', sbin, 3)).toEqual({ ref: sbin, from: 3, to: 3, depth: 5 })
  })

  it('answers the effective set a reconnect must resubscribe', () => {
    const book = createSubscriptionBook<string>()
    book.add('a', sbin, 1)
    book.add('b', sbin, 2)
    book.add('a', nifty, 3, 20)
    expect(book.effective()).toEqual([
      { ref: sbin, mode: 2, depth: 5 },
      { ref: nifty, mode: 3, depth: 20 },
    ])
    expect(book.modeOf(sbin)).toBe(2)
    expect(book.modeOf({ symbol: 'INFY', exchange: 'NSE' })).toBe(0)
  })

  it('ignores removals of things never subscribed', () => {
    const book = createSubscriptionBook<string>()
    expect(book.remove('a', sbin)).toBeUndefined()
    book.add('a', sbin, 2)
    expect(book.remove('b', sbin, 2)).toBeUndefined()
    expect(book.removeClient('zzz')).toEqual([])
  })
})
