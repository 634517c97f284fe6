import { describe, expect, it } from 'vitest'
import {
  KEYS_PER_MINUTE,
  createNoiseCursor,
  createPathEvaluator,
  minuteKeys,
  minuteRange,
  priceInMinute,
} from './price-path.js'

const spec = { key: 12345, factorKey: 678, rho: 0.5, logAnchor: Math.log(1000), sigmaMinute: 0.001 }

describe('price path', () => {
  it('gives the same value at a business minute whether walked to or jumped to', () => {
    const walker = createNoiseCursor(99)
    const walked: number[] = []
    for (let tau = 1_000_000; tau < 1_000_500; tau++) walked.push(walker.at(tau))
    const jumps = [1_000_499, 1_000_000, 1_000_250, 1_000_251, 1_000_007]
    for (const tau of jumps) expect(createNoiseCursor(99).at(tau)).toBe(walked[tau - 1_000_000])
  })

  it('depends on the key', () => {
    expect(createNoiseCursor(1).at(5_000_000)).not.toBe(createNoiseCursor(2).at(5_000_000))
  })

  it('stays near its anchor', () => {
    const path = createPathEvaluator(spec)
    for (let tau = 0; tau < 10_000_000; tau += 99_991) {
      const p = path.price(tau)
      expect(p).toBeGreaterThan(100)
      expect(p).toBeLessThan(10_000)
    }
  })

  it('lays out a minute as open, three sorted interior points and close', () => {
    const path = createPathEvaluator(spec)
    const keys = new Float64Array(KEYS_PER_MINUTE)
    minuteKeys(spec, 777, path.logPrice(777), path.logPrice(778), keys, 0)
    const [u1, u2, u3, open, , , , close] = keys
    expect(0 < u1! && u1! < u2! && u2! < u3! && u3! < 1).toBe(true)
    expect(open).toBeCloseTo(path.price(777), 9)
    expect(close).toBeCloseTo(path.price(778), 9)
    expect(priceInMinute(keys, 0, 0)).toBe(open)
    expect(priceInMinute(keys, 0, 1)).toBe(close)
    expect(priceInMinute(keys, 0, u2!)).toBeCloseTo(keys[5]!, 9)
    // the extremes of the whole minute are among the five key points
    const range = new Float64Array(2)
    minuteRange(keys, 0, 1, range)
    const points = [open!, keys[4]!, keys[5]!, keys[6]!, close!]
    expect(range[0]).toBe(Math.max(...points))
    expect(range[1]).toBe(Math.min(...points))
    for (let u = 0; u <= 1; u += 0.01) {
      const p = priceInMinute(keys, 0, u)
      expect(p).toBeLessThanOrEqual(range[0]! + 1e-9)
      expect(p).toBeGreaterThanOrEqual(range[1]! - 1e-9)
    }
  })
})
