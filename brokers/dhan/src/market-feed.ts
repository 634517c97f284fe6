/**
 * Dhan live market feed v2 and the 20-level depth feed (streaming.md §3.3): pure decoders and the
 * request frame. Binary, little-endian; one frame may hold several packets, each with an 8-byte
 * header `[u8 code][u16 length incl. header][u8 segment][u32 security id]`. Prices are float32
 * rupees: decoded here to the nearest 1/100 rupee (1/10,000 on currency segments), since 120.45
 * arrives as 120.4499969…, and returned as exact {@link Inr4}.
 */
import {
  asInr4,
  type DecodedFrame,
  type Inr4,
  type StreamMode,
  type TickData,
  type TickLevel,
} from '@oa/broker-sdk'

/** Dhan's binary exchange segments (both index exchanges share 0). */
export const DHAN_SEGMENTS: Readonly<Record<number, string>> = {
  0: 'IDX_I',
  1: 'NSE_EQ',
  2: 'NSE_FNO',
  3: 'NSE_CURRENCY',
  4: 'BSE_EQ',
  5: 'MCX_COMM',
  7: 'BSE_CURRENCY',
  8: 'BSE_FNO',
}

/** Request codes: 15 ticker (OA LTP), 17 quote (Quote), 21 full (Depth 5), 23 depth-20, 12 disconnect. */
export const DHAN_REQUEST_CODES: Readonly<Record<StreamMode, number>> = { 1: 15, 2: 17, 3: 21 }

/** A decoded packet of the 5-level feed. */
export type DhanPacket =
  | { readonly kind: 'heartbeat'; readonly segment: number; readonly securityId: number }
  | {
      readonly kind: 'ticker' | 'quote' | 'full'
      readonly segment: number
      readonly securityId: number
      readonly data: TickData
      /** full packets: OI day high and low */
      readonly oiHigh?: number
      readonly oiLow?: number
    }
  | {
      readonly kind: 'oi'
      readonly segment: number
      readonly securityId: number
      readonly oi: number
    }
  | {
      readonly kind: 'prev_close'
      readonly segment: number
      readonly securityId: number
      readonly prevClose: Inr4
      readonly prevOi: number
    }
  | {
      readonly kind: 'disconnect'
      readonly segment: number
      readonly securityId: number
      /** 805 = too many websocket connections */
      readonly reason: number
    }

const CURRENCY = new Set([3, 7])

/** A float32 rupee price of `segment` rounded to its grid (2 dp, 4 dp on currency) in {@link Inr4}. */
export function dhanPrice(value: number, segment: number): Inr4 {
  if (!Number.isFinite(value)) return asInr4(0)
  return CURRENCY.has(segment)
    ? asInr4(Math.round(value * 10_000))
    : asInr4(Math.round(value * 100) * 100)
}

const EXPECTED_LENGTH: Readonly<Record<number, number>> = { 2: 16, 4: 50, 5: 12, 6: 16, 8: 162 }

function decodeOne(view: DataView, at: number, length: number): DhanPacket | undefined {
  const code = view.getUint8(at)
  const segment = view.getUint8(at + 3)
  const securityId = view.getUint32(at + 4, true)
  const f32 = (offset: number): number => view.getFloat32(at + offset, true)
  const u32 = (offset: number): number => view.getUint32(at + offset, true)
  const u16 = (offset: number): number => view.getUint16(at + offset, true)
  const price = (offset: number): Inr4 => dhanPrice(f32(offset), segment)
  const expected = EXPECTED_LENGTH[code]
  if (expected !== undefined && length < expected) return undefined
  switch (code) {
    case 0:
      return { kind: 'heartbeat', segment, securityId }
    case 2:
      return {
        kind: 'ticker',
        segment,
        securityId,
        data: { mode: 1, ltp: price(8), exchangeTs: u32(12) * 1000 },
      }
    case 4:
      return {
        kind: 'quote',
        segment,
        securityId,
        data: {
          mode: 2,
          ltp: price(8),
          lastQty: u16(12),
          exchangeTs: u32(14) * 1000,
          avgPrice: price(18),
          volume: u32(22),
          totalSellQty: u32(26),
          totalBuyQty: u32(30),
          open: price(34),
          prevClose: price(38),
          high: price(42),
          low: price(46),
        },
      }
    case 5:
      return { kind: 'oi', segment, securityId, oi: u32(8) }
    case 6:
      return { kind: 'prev_close', segment, securityId, prevClose: price(8), prevOi: u32(12) }
    case 8: {
      const buy: TickLevel[] = []
      const sell: TickLevel[] = []
      for (let i = 0; i < 5; i++) {
        const o = 62 + i * 20
        buy.push({ quantity: u32(o), orders: u16(o + 8), price: price(o + 12) })
        sell.push({ quantity: u32(o + 4), orders: u16(o + 10), price: price(o + 16) })
      }
      const present = (l: TickLevel): boolean => l.price !== 0 || l.quantity !== 0
      return {
        kind: 'full',
        segment,
        securityId,
        oiHigh: u32(38),
        oiLow: u32(42),
        data: {
          mode: 3,
          ltp: price(8),
          lastQty: u16(12),
          exchangeTs: u32(14) * 1000,
          avgPrice: price(18),
          volume: u32(22),
          totalSellQty: u32(26),
          totalBuyQty: u32(30),
          oi: u32(34),
          open: price(46),
          prevClose: price(50),
          high: price(54),
          low: price(58),
          depth: { buy: buy.filter(present), sell: sell.filter(present) },
          depthLevels: 5,
        },
      }
    }
    case 50:
      return { kind: 'disconnect', segment, securityId, reason: length >= 10 ? u16(8) : 0 }
    default:
      return undefined
  }
}

/**
 * Splits a binary frame of the 5-level feed into packets and decodes each; unknown codes are
 * skipped and a truncated tail is ignored (never throws).
 */
export function decodeDhanFrame(frame: Uint8Array): DhanPacket[] {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const out: DhanPacket[] = []
  let at = 0
  while (at + 8 <= frame.length) {
    const length = view.getUint16(at + 1, true)
    if (length < 8 || at + length > frame.length) break
    const packet = decodeOne(view, at, length)
    if (packet !== undefined) out.push(packet)
    at += length
  }
  return out
}

/** The key ticks are filed under: `segment:securityId` (ids repeat across segments). */
export const dhanKey = (segment: number, securityId: number): string => `${segment}:${securityId}`

/**
 * What one socket frame of the 5-level feed means, in `@oa/broker-sdk`'s {@link DecodedFrame}
 * terms: ticker/quote/full packets are ticks; heartbeats, OI and previous-close packets count as
 * liveness; a disconnect packet is an error. Never throws.
 */
export function decodeDhanMessage(frame: string | Uint8Array): DecodedFrame[] {
  if (typeof frame === 'string') return []
  const out: DecodedFrame[] = []
  for (const p of decodeDhanFrame(frame)) {
    if (p.kind === 'ticker' || p.kind === 'quote' || p.kind === 'full') {
      out.push({ type: 'tick', key: dhanKey(p.segment, p.securityId), data: p.data })
    } else if (p.kind === 'disconnect') {
      out.push({ type: 'error', message: `Dhan closed the feed (reason ${p.reason})` })
    } else {
      out.push({ type: 'heartbeat' })
    }
  }
  return out
}

/** One side of a 20-level book from the depth-20 socket. */
export interface DhanDepth20Packet {
  readonly side: 'buy' | 'sell'
  readonly segment: number
  readonly securityId: number
  readonly sequence: number
  /** levels with a price or a quantity (absent levels are not padded) */
  readonly levels: TickLevel[]
}

/**
 * Decodes the packets of a depth-20 frame: 12-byte header `[u16 length][u8 code][u8 segment]
 * [u32 security id][u32 sequence]`, code 41 bids / 51 asks, then 20 × `[f64 price][u32 qty]
 * [u32 orders]`. Never throws.
 */
export function decodeDhanDepth20Frame(frame: Uint8Array): DhanDepth20Packet[] {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const out: DhanDepth20Packet[] = []
  let at = 0
  while (at + 12 <= frame.length) {
    const length = view.getUint16(at, true)
    if (length < 12 || at + length > frame.length) break
    const code = view.getUint8(at + 2)
    const segment = view.getUint8(at + 3)
    if (code === 41 || code === 51) {
      const levels: TickLevel[] = []
      for (let o = at + 12; o + 16 <= at + length && levels.length < 20; o += 16) {
        const level: TickLevel = {
          price: dhanPrice(view.getFloat64(o, true), segment),
          quantity: view.getUint32(o + 8, true),
          orders: view.getUint32(o + 12, true),
        }
        if (level.price !== 0 || level.quantity !== 0) levels.push(level)
      }
      out.push({
        side: code === 41 ? 'buy' : 'sell',
        segment,
        securityId: view.getUint32(at + 4, true),
        sequence: view.getUint32(at + 8, true),
        levels,
      })
    }
    at += length
  }
  return out
}

/** Pairs depth-20 bid and ask packets per instrument (they arrive separately). */
export interface DhanDepth20Book {
  /** Applies one side; returns the instrument's whole book once both sides have been seen. */
  apply(
    packet: DhanDepth20Packet,
  ): { key: string; buy: TickLevel[]; sell: TickLevel[]; sequence: number } | undefined
  /** Forgets an instrument (unsubscribed). */
  forget(key: string): void
}

/** Creates an empty {@link DhanDepth20Book}. */
export function createDhanDepth20Book(): DhanDepth20Book {
  const books = new Map<string, { buy?: TickLevel[]; sell?: TickLevel[] }>()
  return {
    apply(packet) {
      const key = dhanKey(packet.segment, packet.securityId)
      const book = books.get(key) ?? {}
      book[packet.side] = packet.levels
      books.set(key, book)
      if (book.buy === undefined || book.sell === undefined) return undefined
      return { key, buy: book.buy, sell: book.sell, sequence: packet.sequence }
    },
    forget: (key) => void books.delete(key),
  }
}

/** One instrument of a subscription request. */
export interface DhanInstrument {
  /** `NSE_EQ`, `NSE_FNO`, `IDX_I` … */
  exchangeSegment: string
  securityId: string
}

/**
 * A subscription request (at most 100 instruments per message, 50 on the depth-20 socket):
 * `RequestCode` 15/17/21 for OA modes 1/2/3 (see {@link DHAN_REQUEST_CODES}), 23 for depth-20.
 */
export function dhanSubscribeFrame(
  requestCode: number,
  instruments: readonly DhanInstrument[],
): string {
  return JSON.stringify({
    RequestCode: requestCode,
    InstrumentCount: instruments.length,
    InstrumentList: instruments.map((i) => ({
      ExchangeSegment: i.exchangeSegment,
      SecurityId: i.securityId,
    })),
  })
}
