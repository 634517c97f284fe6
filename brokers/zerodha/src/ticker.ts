/**
 * Kite ticker frames (streaming.md §3.1): pure decoders and the subscription frames. A binary
 * frame is `[u16 N]` then N × `[u16 L][L bytes]`, big-endian; the packet kind follows from L.
 * Prices are integers on the wire, divided by 10^7 on CDS (segment 3), 10^4 on BCD (6) and 100
 * elsewhere; here they become exact {@link Inr4} values. Quantities, volume, OI and timestamps are
 * not scaled. The reference parser's divergences (CDS/BCD divisor, lost index OHLC, OI read from
 * the depth block, "price change" read from the last-trade time) are not copied.
 */
import {
  asInr4,
  divRound,
  type DecodedFrame,
  type Inr4,
  type StreamMode,
  type TickData,
  type TickLevel,
} from '@oa/broker-sdk'

/** Kite's exchange segments: the low byte of an instrument token. */
export const KITE_SEGMENTS: Readonly<Record<number, string>> = {
  1: 'NSE',
  2: 'NFO',
  3: 'CDS',
  4: 'BSE',
  5: 'BFO',
  6: 'BCD',
  7: 'MCX',
  8: 'MCX-SX',
  9: 'INDICES',
}

/** The packet kinds, by length: 8 LTP, 28 index quote, 32 index full, 44 quote, 184 full. */
export type KitePacketKind = 'ltp' | 'index_quote' | 'index_full' | 'quote' | 'full'

/** One decoded packet. */
export interface KitePacket {
  readonly token: number
  /** `token & 0xff`, see {@link KITE_SEGMENTS} */
  readonly segment: number
  readonly kind: KitePacketKind
  /** the canonical tick fields (prices in {@link Inr4}) */
  readonly data: TickData
}

const KIND_BY_LENGTH: Readonly<Record<number, KitePacketKind>> = {
  8: 'ltp',
  28: 'index_quote',
  32: 'index_full',
  44: 'quote',
  184: 'full',
}

/** A raw Kite price of `segment` in {@link Inr4} (CDS ÷10^7, BCD ÷10^4, others ÷100 rupees). */
export function kitePrice(raw: number, segment: number): Inr4 {
  if (segment === 3) return asInr4(divRound(raw, 1_000))
  if (segment === 6) return asInr4(raw)
  return asInr4(raw * 100)
}

/**
 * Decodes one packet (without its length prefix); undefined when its length is not one of the
 * five Kite packet sizes.
 */
export function decodeKitePacket(bytes: Uint8Array): KitePacket | undefined {
  const kind = KIND_BY_LENGTH[bytes.length]
  if (kind === undefined) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const i32 = (offset: number): number => view.getInt32(offset, false)
  const token = view.getUint32(0, false)
  const segment = token & 0xff
  const price = (offset: number): Inr4 => kitePrice(i32(offset), segment)
  const ltp = price(4)

  if (kind === 'ltp') return { token, segment, kind, data: { mode: 1, ltp } }

  if (kind === 'index_quote' || kind === 'index_full') {
    const data: TickData = {
      mode: 2,
      ltp,
      high: price(8),
      low: price(12),
      open: price(16),
      prevClose: price(20),
      change: price(24),
      exchangeTs: kind === 'index_full' ? i32(28) * 1000 : null,
    }
    return { token, segment, kind, data }
  }

  const mode: StreamMode = kind === 'full' ? 3 : 2
  const data: TickData = {
    mode,
    ltp,
    lastQty: i32(8),
    avgPrice: price(12),
    volume: view.getUint32(16, false),
    totalBuyQty: view.getUint32(20, false),
    totalSellQty: view.getUint32(24, false),
    open: price(28),
    high: price(32),
    low: price(36),
    prevClose: price(40),
  }
  if (kind === 'full') {
    // 44 last trade time, 48 OI, 52/56 OI day high/low, 60 exchange timestamp (all epoch s)
    data.exchangeTs = i32(44) * 1000
    data.oi = i32(48)
    const level = (offset: number): TickLevel => ({
      quantity: view.getUint32(offset, false),
      price: price(offset + 4),
      orders: view.getUint16(offset + 8, false),
    })
    const buy: TickLevel[] = []
    const sell: TickLevel[] = []
    for (let i = 0; i < 5; i++) buy.push(level(64 + i * 12))
    for (let i = 0; i < 5; i++) sell.push(level(124 + i * 12))
    data.depth = { buy, sell }
    data.depthLevels = 5
  }
  return { token, segment, kind, data }
}

/** Extra fields of a full packet the canonical tick has no place for. */
export function kiteFullExtras(
  bytes: Uint8Array,
): { oiDayHigh: number; oiDayLow: number; exchangeTimestampMs: number } | undefined {
  if (bytes.length !== 184) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return {
    oiDayHigh: view.getInt32(52, false),
    oiDayLow: view.getInt32(56, false),
    exchangeTimestampMs: view.getInt32(60, false) * 1000,
  }
}

/**
 * Splits a binary frame into packets and decodes each. A 1-byte frame is a heartbeat (no
 * packets). A truncated frame yields the packets that were complete; unknown lengths are skipped.
 */
export function decodeKiteFrame(frame: Uint8Array): KitePacket[] {
  if (frame.length < 2) return []
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const count = view.getUint16(0, false)
  const out: KitePacket[] = []
  let offset = 2
  for (let i = 0; i < count; i++) {
    if (offset + 2 > frame.length) break
    const length = view.getUint16(offset, false)
    offset += 2
    if (offset + length > frame.length) break
    const packet = decodeKitePacket(frame.subarray(offset, offset + length))
    if (packet !== undefined) out.push(packet)
    offset += length
  }
  return out
}

/**
 * What one socket frame means, in `@oa/broker-sdk`'s {@link DecodedFrame} terms (a socket
 * adapter's `decode`): binary frames carry ticks keyed by token (a 1-byte frame is a heartbeat);
 * text frames are `{"type":"error"|"message"|"order",…}`. Never throws.
 */
export function decodeKiteMessage(frame: string | Uint8Array): DecodedFrame[] {
  if (typeof frame !== 'string') {
    if (frame.length <= 1) return [{ type: 'heartbeat' }]
    return decodeKiteFrame(frame).map((p) => ({ type: 'tick', key: String(p.token), data: p.data }))
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(frame)
  } catch {
    return []
  }
  if (typeof parsed !== 'object' || parsed === null) return []
  const message = parsed as { type?: unknown; data?: unknown }
  if (message.type === 'error') return [{ type: 'error', message: String(message.data) }]
  return [{ type: 'heartbeat' }]
}

/** Kite's mode names for OA modes 1, 2, 3. */
export const KITE_MODES: Readonly<Record<StreamMode, 'ltp' | 'quote' | 'full'>> = {
  1: 'ltp',
  2: 'quote',
  3: 'full',
}

/**
 * The text frames that subscribe `tokens` at an OA mode: `subscribe` then `mode`, as the
 * reference sends them back to back (at most 200 tokens per message).
 */
export function kiteSubscribeFrames(tokens: readonly number[], mode: StreamMode): string[] {
  return [
    JSON.stringify({ a: 'subscribe', v: tokens }),
    JSON.stringify({ a: 'mode', v: [KITE_MODES[mode], tokens] }),
  ]
}

/** The text frame that unsubscribes `tokens`. */
export function kiteUnsubscribeFrame(tokens: readonly number[]): string {
  return JSON.stringify({ a: 'unsubscribe', v: tokens })
}
