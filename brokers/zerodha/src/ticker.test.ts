import { readFileSync } from 'node:fs'
import { toRupees, type Inr4 } from '@oa/broker-sdk'
import { describe, expect, it } from 'vitest'
import {
  decodeKiteFrame,
  decodeKiteMessage,
  decodeKitePacket,
  kiteFullExtras,
  kitePrice,
  kiteSubscribeFrames,
  kiteUnsubscribeFrame,
} from './ticker.js'

interface Vector {
  hex: string
}
const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/ticker-vectors.json', import.meta.url), 'utf8'),
) as Record<'K1' | 'K2' | 'K3', Vector>
const bytes = (v: Vector): Uint8Array => Buffer.from(v.hex, 'hex')
const rupees = (v: Inr4 | null | undefined): number | null =>
  v === null || v === undefined ? null : toRupees(v)

describe('Kite ticker decoder (streaming.md §3.1 vectors)', () => {
  it('K1: splits one frame into an LTP, a quote and an index quote packet', () => {
    const [ltp, quote, index, ...rest] = decodeKiteFrame(bytes(vectors.K1))
    expect(rest).toEqual([])

    expect(ltp).toMatchObject({ token: 408065, segment: 1, kind: 'ltp' })
    expect(ltp?.data).toEqual({ mode: 1, ltp: 15_002_500 })
    expect(rupees(ltp?.data.ltp)).toBe(1500.25)

    expect(quote).toMatchObject({ token: 738561, segment: 1, kind: 'quote' })
    const q = quote!.data
    expect(q.mode).toBe(2)
    expect(rupees(q.ltp)).toBe(1287.5)
    expect(q.lastQty).toBe(5)
    expect(rupees(q.avgPrice)).toBe(1283.12)
    expect([q.volume, q.totalBuyQty, q.totalSellQty]).toEqual([4_521_300, 120_000, 98_000])
    expect([q.open, q.high, q.low, q.prevClose].map(rupees)).toEqual([1275, 1294, 1270.1, 1272.35])

    expect(index).toMatchObject({ token: 256265, segment: 9, kind: 'index_quote' })
    const i = index!.data
    expect(i.mode).toBe(2)
    expect([i.ltp, i.high, i.low, i.open, i.prevClose].map(rupees)).toEqual([
      22450.65, 22510.3, 22380.15, 22400, 22391.1,
    ])
    // the index packet keeps its OHLC and its price change (the reference lost them)
    expect(rupees(i.change)).toBe(59.55)
    expect(i.exchangeTs).toBeNull()
  })

  it('K2: divides a CDS price by 10^7 (the reference reported 8325250.0)', () => {
    const packet = decodeKitePacket(bytes(vectors.K2))
    expect(packet).toMatchObject({ token: 412675, segment: 3, kind: 'ltp' })
    expect(rupees(packet?.data.ltp)).toBe(83.2525)
  })

  it('K3: reads a full packet with last trade time, OI and five levels a side', () => {
    const packet = decodeKitePacket(bytes(vectors.K3))
    expect(packet).toMatchObject({ token: 738561, kind: 'full' })
    const d = packet!.data
    expect(d.mode).toBe(3)
    expect(rupees(d.ltp)).toBe(1287.5)
    expect(d.exchangeTs).toBe(1_712_640_600_000)
    expect(d.oi).toBe(0)
    expect(d.depthLevels).toBe(5)
    const levels = (side: 'buy' | 'sell') =>
      d.depth![side].map((l) => [l.quantity, toRupees(l.price), l.orders])
    expect(levels('buy')).toEqual([
      [1200, 1287.45, 4],
      [800, 1287.4, 3],
      [950, 1287.35, 6],
      [400, 1287.3, 2],
      [1500, 1287.25, 9],
    ])
    expect(levels('sell')).toEqual([
      [700, 1287.5, 2],
      [1100, 1287.55, 5],
      [300, 1287.6, 1],
      [650, 1287.65, 3],
      [2000, 1287.7, 7],
    ])
    expect(kiteFullExtras(bytes(vectors.K3))).toEqual({
      oiDayHigh: 0,
      oiDayLow: 0,
      exchangeTimestampMs: 1_712_640_601_000,
    })
  })

  it('scales BCD prices by 10^4', () => {
    expect(toRupees(kitePrice(832_525, 6))).toBe(83.2525)
  })

  it('never throws on garbage: truncated frames keep their complete packets', () => {
    const k1 = bytes(vectors.K1)
    expect(decodeKiteFrame(k1.subarray(0, 20)).map((p) => p.token)).toEqual([408065])
    expect(decodeKiteFrame(new Uint8Array([0xff, 0xff, 0x00]))).toEqual([])
    expect(decodeKitePacket(new Uint8Array(7))).toBeUndefined()
  })

  it('maps socket frames to the SDK’s decoded frames: ticks by token, heartbeats, errors', () => {
    expect(decodeKiteMessage(new Uint8Array([0]))).toEqual([{ type: 'heartbeat' }])
    expect(decodeKiteMessage(bytes(vectors.K1)).map((f) => f.type === 'tick' && f.key)).toEqual([
      '408065',
      '738561',
      '256265',
    ])
    expect(decodeKiteMessage('{"type":"error","data":"bad token"}')).toEqual([
      { type: 'error', message: 'bad token' },
    ])
    expect(decodeKiteMessage('not json')).toEqual([])
  })

  it('frames a subscription as subscribe then mode, and an unsubscribe', () => {
    expect(kiteSubscribeFrames([408065, 738561], 3)).toEqual([
      '{"a":"subscribe","v":[408065,738561]}',
      '{"a":"mode","v":["full",[408065,738561]]}',
    ])
    expect(kiteUnsubscribeFrame([408065])).toBe('{"a":"unsubscribe","v":[408065]}')
  })
})
