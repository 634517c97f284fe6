import { describe, expect, it } from 'vitest'
import { createOutboundQueue } from './outbound-queue.js'

const drain = (q: ReturnType<typeof createOutboundQueue>): string[] => {
  const out: string[] = []
  for (let t = q.shift(); t !== undefined; t = q.shift()) out.push(t.toString())
  return out
}

describe('outbound queue', () => {
  it('keeps every frame of a client that keeps up, numbered in order', () => {
    const q = createOutboundQueue(10)
    q.pushMarket('NSE:SBIN:1', Buffer.from('{"a":1'), false)
    q.pushMarket('NSE:SBIN:1', Buffer.from('{"a":2'), false)
    expect(q.pushControl('{"b":1')).toBe(true)
    expect(drain(q)).toEqual(['{"a":1,"seq":1}', '{"a":2,"seq":2}', '{"b":1,"seq":3}'])
  })

  it('replaces a waiting frame of the same instrument and mode while backed up, leaving a seq gap', () => {
    const q = createOutboundQueue(10)
    q.pushMarket('NSE:SBIN:1', Buffer.from('{"p":1'), true)
    q.pushMarket('NSE:INFY:1', Buffer.from('{"i":1'), true)
    q.pushMarket('NSE:SBIN:1', Buffer.from('{"p":2'), true)
    q.pushMarket('NSE:SBIN:3', Buffer.from('{"d":1'), true)
    expect(q.conflated).toBe(1)
    expect(drain(q)).toEqual(['{"i":1,"seq":2}', '{"p":2,"seq":3}', '{"d":1,"seq":4}'])
  })

  it('never conflates answers; when full it drops the oldest market frame, then refuses', () => {
    const q = createOutboundQueue(2)
    q.pushMarket('NSE:SBIN:1', Buffer.from('{"p":1'), true)
    expect(q.pushControl('{"c":1')).toBe(true)
    expect(q.pushControl('{"c":2')).toBe(true)
    expect(q.dropped).toBe(1)
    expect(q.pushControl('{"c":3')).toBe(false)
    expect(drain(q)).toEqual(['{"c":1,"seq":2}', '{"c":2,"seq":3}'])
    expect(q.size).toBe(0)
  })
})
