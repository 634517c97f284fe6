import { readFileSync } from 'node:fs'
import { toRupees, type Inr4, type TickData, type TickLevel } from '@oa/broker-sdk'
import { describe, expect, it } from 'vitest'
import {
  createDhanDepth20Book,
  decodeDhanDepth20Frame,
  decodeDhanFrame,
  decodeDhanMessage,
  dhanPrice,
  dhanSubscribeFrame,
} from './market-feed.js'

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/market-feed-vectors.json', import.meta.url), 'utf8'),
) as Record<'D1' | 'D2' | 'D3' | 'D4' | 'D20', { hex: string }>
const bytes = (name: keyof typeof vectors): Uint8Array => Buffer.from(vectors[name].hex, 'hex')
const rupees = (v: Inr4 | null | undefined): number | null =>
  v === null || v === undefined ? null : toRupees(v)
const rows = (levels: readonly TickLevel[]) =>
  levels.map((l) => [l.quantity, toRupees(l.price), l.orders])

describe('Dhan market feed decoder (streaming.md §3.3 vectors)', () => {
  it('D1: decodes a ticker packet', () => {
    expect(decodeDhanFrame(bytes('D1'))).toEqual([
      {
        kind: 'ticker',
        segment: 1,
        securityId: 1333,
        data: { mode: 1, ltp: 16_455_000, exchangeTs: 1_712_640_600_000 },
      },
    ])
  })

  it('D2: decodes a quote packet, total sell before total buy', () => {
    const [packet] = decodeDhanFrame(bytes('D2'))
    expect(packet).toMatchObject({ kind: 'quote', segment: 2, securityId: 35001 })
    const d = (packet as { data: TickData }).data
    expect(rupees(d.ltp)).toBe(120.5)
    expect(d.lastQty).toBe(75)
    expect(d.exchangeTs).toBe(1_712_640_601_000)
    expect(rupees(d.avgPrice)).toBe(119.75)
    expect(d.volume).toBe(1_234_500)
    expect([d.totalSellQty, d.totalBuyQty]).toEqual([45_000, 52_000])
    expect([d.open, d.prevClose, d.high, d.low].map(rupees)).toEqual([118, 117.25, 121, 117.5])
  })

  it('D3: decodes a full packet with OI and five levels, float prices rounded to 2 dp', () => {
    const [packet] = decodeDhanFrame(bytes('D3'))
    expect(packet).toMatchObject({ kind: 'full', oiHigh: 1_600_000, oiLow: 1_400_000 })
    const d = (packet as { data: TickData }).data
    expect(d.mode).toBe(3)
    expect(d.oi).toBe(1_500_000)
    expect([d.open, d.prevClose, d.high, d.low].map(rupees)).toEqual([118, 117.25, 121, 117.5])
    expect(rows(d.depth!.buy)).toEqual([
      [1500, 120.45, 10],
      [900, 120.4, 6],
      [600, 120.35, 4],
      [300, 120.3, 2],
      [450, 120.25, 3],
    ])
    expect(rows(d.depth!.sell)).toEqual([
      [1200, 120.5, 8],
      [700, 120.55, 5],
      [650, 120.6, 4],
      [800, 120.65, 6],
      [900, 120.7, 7],
    ])
  })

  it('decodes several packets concatenated in one frame', () => {
    const frame = Buffer.concat([bytes('D1'), bytes('D2'), bytes('D3')])
    expect(decodeDhanFrame(frame).map((p) => p.kind)).toEqual(['ticker', 'quote', 'full'])
    expect(decodeDhanMessage(frame).map((f) => f.type === 'tick' && f.key)).toEqual([
      '1:1333',
      '2:35001',
      '2:35001',
    ])
  })

  it('D4: decodes depth-20 headers and pairs bids with asks per instrument', () => {
    const d4 = bytes('D4')
    expect(Buffer.from(bytes('D20').subarray(0, d4.length)).equals(Buffer.from(d4))).toBe(true)
    const [bids, asks] = decodeDhanDepth20Frame(bytes('D20'))
    expect(bids).toMatchObject({ side: 'buy', segment: 1, securityId: 1333, sequence: 77 })
    expect(rows(bids!.levels.slice(0, 1))).toEqual([[100, 1645.5, 1]])
    expect(bids!.levels).toHaveLength(20)
    expect(asks!.levels).toHaveLength(19)
    const book = createDhanDepth20Book()
    expect(book.apply(bids!)).toBeUndefined()
    const both = book.apply(asks!)
    expect(both?.key).toBe('1:1333')
    expect(rows(both!.sell.slice(0, 2))).toEqual([
      [50, 1645.55, 1],
      [100, 1645.6, 2],
    ])
  })

  it('rounds float32 prices to the grid: 2 dp, 4 dp on currency segments', () => {
    expect(rupees(dhanPrice(Math.fround(120.45), 2))).toBe(120.45)
    expect(rupees(dhanPrice(Math.fround(83.2525), 3))).toBe(83.2525)
  })

  it('reports a disconnect packet and never throws on garbage', () => {
    const disconnect = Buffer.from('320a000000000000' + '2503', 'hex')
    expect(decodeDhanFrame(disconnect)).toEqual([
      { kind: 'disconnect', segment: 0, securityId: 0, reason: 805 },
    ])
    expect(decodeDhanMessage(disconnect)).toMatchObject([{ type: 'error' }])
    expect(decodeDhanFrame(bytes('D3').subarray(0, 100))).toEqual([])
    expect(decodeDhanFrame(new Uint8Array([8, 0, 0]))).toEqual([])
  })

  it('frames a subscription request', () => {
    expect(
      dhanSubscribeFrame(15, [
        { exchangeSegment: 'NSE_EQ', securityId: '1333' },
        { exchangeSegment: 'NSE_FNO', securityId: '35001' },
      ]),
    ).toBe(
      '{"RequestCode":15,"InstrumentCount":2,"InstrumentList":[{"ExchangeSegment":"NSE_EQ","SecurityId":"1333"},{"ExchangeSegment":"NSE_FNO","SecurityId":"35001"}]}',
    )
  })
})
