import { readFileSync } from 'node:fs'
import { toRupees, type Inr4, type TickLevel } from '@oa/broker-sdk'
import { describe, expect, it } from 'vitest'
import {
  ANGEL_EXCHANGE_TYPES,
  angelRequestFrame,
  decodeAngelMessage,
  decodeAngelPacket,
} from './smart-stream.js'

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/smart-stream-vectors.json', import.meta.url), 'utf8'),
) as Record<'A1' | 'A2' | 'S1' | 'D20', { hex: string }>
const bytes = (name: keyof typeof vectors): Uint8Array => Buffer.from(vectors[name].hex, 'hex')
const rupees = (v: Inr4 | null | undefined): number | null =>
  v === null || v === undefined ? null : toRupees(v)
const rows = (levels: readonly TickLevel[]) =>
  levels.map((l) => [l.quantity, toRupees(l.price), l.orders])

describe('Angel smart-stream decoder (streaming.md §3.2 vectors)', () => {
  it('A1: decodes an LTP packet (51 bytes, little-endian)', () => {
    const packet = decodeAngelPacket(bytes('A1'))
    expect(packet).toMatchObject({
      subscriptionMode: 1,
      exchangeType: 1,
      token: '2885',
      sequence: 10_100_759,
      exchangeTs: 1_746_171_226_000,
    })
    expect(packet?.data).toEqual({ mode: 1, ltp: 14_184_000, exchangeTs: 1_746_171_226_000 })
    expect(rupees(packet?.data?.ltp)).toBe(1418.4)
  })

  it('A2: decodes a Quote packet with float totals and OHLC', () => {
    const d = decodeAngelPacket(bytes('A2'))!.data!
    expect(d.mode).toBe(2)
    expect(d.exchangeTs).toBe(1_746_171_227_000)
    expect(rupees(d.ltp)).toBe(1418.55)
    expect(d.lastQty).toBe(25)
    expect(rupees(d.avgPrice)).toBe(1417.02)
    expect(d.volume).toBe(5_321_044)
    expect([d.totalBuyQty, d.totalSellQty]).toEqual([412_345, 398_765])
    expect([d.open, d.high, d.low, d.prevClose].map(rupees)).toEqual([
      1409.9, 1423, 1405.75, 1406.2,
    ])
  })

  it('S1: decodes a Snap Quote with its OHLC (the reference sent zeros) and best five', () => {
    const packet = decodeAngelPacket(bytes('S1'))!
    const d = packet.data!
    expect(d.mode).toBe(3)
    expect(rupees(d.ltp)).toBe(765.5)
    expect([d.open, d.high, d.low, d.prevClose].map(rupees)).toEqual([760, 768, 758.1, 761.55])
    expect(d.oi).toBe(1500)
    expect(rows(d.depth!.buy)).toEqual([
      [1200, 765.45, 4],
      [800, 765.4, 3],
      [950, 765.35, 6],
      [400, 765.3, 2],
      [1500, 765.25, 9],
    ])
    // two empty ask levels are absent, not zero-padded
    expect(rows(d.depth!.sell)).toEqual([
      [700, 765.5, 2],
      [1100, 765.55, 5],
      [300, 765.6, 1],
    ])
    expect(packet.extras).toMatchObject({ lastTradeTs: 1_712_640_599_000 })
    expect(rupees(packet.extras!.upperCircuit)).toBe(837.7)
    expect(rupees(packet.extras!.low52Week)).toBe(555)
  })

  it('D20: decodes twenty bid and eighteen ask levels with their order counts, and no LTP', () => {
    const packet = decodeAngelPacket(bytes('D20'))!
    expect(packet).toMatchObject({ subscriptionMode: 4, token: '3045', sequence: null })
    expect(packet.data).toBeUndefined()
    expect(packet.depth20!.buy).toHaveLength(20)
    expect(packet.depth20!.sell).toHaveLength(18)
    expect(rows(packet.depth20!.buy.slice(0, 2))).toEqual([
      [100, 765.45, 1],
      [200, 765.4, 2],
    ])
    expect(rows(packet.depth20!.sell.slice(-1))).toEqual([[900, 766.35, 19]])
  })

  it('refuses short or unknown packets without throwing', () => {
    expect(decodeAngelPacket(bytes('A2').subarray(0, 100))).toBeUndefined()
    expect(decodeAngelPacket(new Uint8Array([9, 1, 0]))).toBeUndefined()
    expect(decodeAngelMessage(new Uint8Array(0))).toEqual([])
  })

  it('keys ticks by exchange type and token, and treats a text pong as a heartbeat', () => {
    expect(decodeAngelMessage(bytes('A1'))).toMatchObject([{ type: 'tick', key: '1:2885' }])
    expect(decodeAngelMessage('pong')).toEqual([{ type: 'heartbeat' }])
    expect(decodeAngelMessage(bytes('D20'))).toEqual([{ type: 'heartbeat' }])
  })

  it('frames a subscribe request grouped by exchange type', () => {
    expect(ANGEL_EXCHANGE_TYPES['MCX_INDEX']).toBe(5)
    expect(
      angelRequestFrame('oa-000000001', 1, 1, [{ exchangeType: 1, tokens: ['2885', '3045'] }]),
    ).toBe(
      '{"correlationID":"oa-0000000","action":1,"params":{"mode":1,"tokenList":[{"exchangeType":1,"tokens":["2885","3045"]}]}}',
    )
  })
})
