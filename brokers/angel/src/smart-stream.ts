/**
 * Angel One SmartAPI WebSocket 2.0 (smart-stream) frames, streaming.md §3.2: pure decoders and
 * the request frame. Binary responses are little-endian; the packet's first byte is its mode:
 * 1 LTP (51 bytes), 2 Quote (123), 3 Snap Quote (379: OHLC, best five, circuits), 4 Depth-20 (443:
 * twenty levels a side, no LTP). Prices are paise on the wire and become exact {@link Inr4} here.
 * Not copied from the reference: OHLC read from keys its parser never set (always 0 in depth
 * frames), depth-20 order counts from the wrong key, empty sides padded with zero levels.
 */
import {
  asInr4,
  type DecodedFrame,
  type Inr4,
  type StreamMode,
  type TickData,
  type TickLevel,
} from '@oa/broker-sdk'

/** Angel's exchange types, by OpenAlgo exchange (streaming.md §3.2). */
export const ANGEL_EXCHANGE_TYPES: Readonly<Record<string, number>> = {
  NSE: 1,
  NSE_INDEX: 1,
  NFO: 2,
  BSE: 3,
  BSE_INDEX: 3,
  BFO: 4,
  MCX: 5,
  // the reference's fallback sent MCX_INDEX as nse_cm (1); MCX indices live on mcx_fo
  MCX_INDEX: 5,
  CDS: 13,
}

/** Packet sizes by subscription mode. */
export const ANGEL_PACKET_SIZES: Readonly<Record<number, number>> = {
  1: 51,
  2: 123,
  3: 379,
  4: 443,
}

/** One decoded smart-stream packet. */
export interface AngelPacket {
  /** 1 LTP, 2 Quote, 3 Snap Quote, 4 Depth-20 */
  readonly subscriptionMode: 1 | 2 | 3 | 4
  readonly exchangeType: number
  readonly token: string
  /** the broker's sequence number; null in Depth-20 packets */
  readonly sequence: number | null
  /** exchange timestamp, epoch ms (in Depth-20: when the broker sent the packet) */
  readonly exchangeTs: number
  /** canonical tick fields; absent for Depth-20, which carries no LTP (merge with the last tick) */
  readonly data?: TickData
  /** Depth-20 only: twenty levels a side, zero levels dropped */
  readonly depth20?: { buy: TickLevel[]; sell: TickLevel[] }
  /** Snap Quote only: the fields the canonical tick has no place for */
  readonly extras?: {
    lastTradeTs: number
    upperCircuit: Inr4
    lowerCircuit: Inr4
    high52Week: Inr4
    low52Week: Inr4
  }
}

const paise = (value: bigint): Inr4 => asInr4(Number(value) * 100)

/** A level is absent when the broker sends neither price nor quantity (absent ≠ zero). */
const isEmpty = (l: TickLevel): boolean => l.price === 0 && l.quantity === 0

/**
 * Decodes one binary packet; undefined when it is shorter than its mode's size or the mode is
 * unknown (never throws).
 */
export function decodeAngelPacket(bytes: Uint8Array): AngelPacket | undefined {
  if (bytes.length < 2) return undefined
  const mode = bytes[0]
  if (mode !== 1 && mode !== 2 && mode !== 3 && mode !== 4) return undefined
  const size = ANGEL_PACKET_SIZES[mode] ?? Number.POSITIVE_INFINITY
  if (bytes.length < size) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const i64 = (offset: number): bigint => view.getBigInt64(offset, true)
  const exchangeType = bytes[1] ?? 0
  const tokenBytes = bytes.subarray(2, 27)
  const nul = tokenBytes.indexOf(0)
  const token = Buffer.from(nul === -1 ? tokenBytes : tokenBytes.subarray(0, nul)).toString(
    'latin1',
  )
  const exchangeTs = Number(i64(35))

  if (mode === 4) {
    const level = (offset: number): TickLevel => ({
      quantity: view.getInt32(offset, true),
      price: asInr4(view.getInt32(offset + 4, true) * 100),
      orders: view.getInt16(offset + 8, true),
    })
    const buy: TickLevel[] = []
    const sell: TickLevel[] = []
    for (let i = 0; i < 20; i++) buy.push(level(43 + i * 10))
    for (let i = 0; i < 20; i++) sell.push(level(43 + 200 + i * 10))
    return {
      subscriptionMode: 4,
      exchangeType,
      token,
      sequence: null,
      exchangeTs,
      depth20: { buy: buy.filter((l) => !isEmpty(l)), sell: sell.filter((l) => !isEmpty(l)) },
    }
  }

  const sequence = Number(i64(27))
  const ltp = paise(i64(43))
  if (mode === 1) {
    return {
      subscriptionMode: 1,
      exchangeType,
      token,
      sequence,
      exchangeTs,
      data: { mode: 1, ltp, exchangeTs },
    }
  }
  const streamMode: StreamMode = mode === 3 ? 3 : 2
  const data: TickData = {
    mode: streamMode,
    ltp,
    exchangeTs,
    lastQty: Number(i64(51)),
    avgPrice: paise(i64(59)),
    volume: Number(i64(67)),
    totalBuyQty: Math.round(view.getFloat64(75, true)),
    totalSellQty: Math.round(view.getFloat64(83, true)),
    open: paise(i64(91)),
    high: paise(i64(99)),
    low: paise(i64(107)),
    prevClose: paise(i64(115)),
  }
  if (mode === 2) return { subscriptionMode: 2, exchangeType, token, sequence, exchangeTs, data }

  data.oi = Number(i64(131))
  const buy: TickLevel[] = []
  const sell: TickLevel[] = []
  for (let i = 0; i < 10; i++) {
    const at = 147 + i * 20
    const level: TickLevel = {
      quantity: Number(view.getBigInt64(at + 2, true)),
      price: paise(view.getBigInt64(at + 10, true)),
      orders: view.getUint16(at + 18, true),
    }
    if (isEmpty(level)) continue
    // flag 1 = buy, 0 = sell: the net effect of the reference's swap
    if (view.getUint16(at, true) === 1) buy.push(level)
    else sell.push(level)
  }
  data.depth = { buy, sell }
  data.depthLevels = 5
  return {
    subscriptionMode: 3,
    exchangeType,
    token,
    sequence,
    exchangeTs,
    data,
    extras: {
      lastTradeTs: Number(i64(123)),
      upperCircuit: paise(i64(347)),
      lowerCircuit: paise(i64(355)),
      high52Week: paise(i64(363)),
      low52Week: paise(i64(371)),
    },
  }
}

/**
 * What one socket frame means, in `@oa/broker-sdk`'s {@link DecodedFrame} terms: a binary packet
 * is a tick keyed `exchangeType:token` (tokens repeat across exchange types); a text `pong` is a
 * heartbeat. Depth-20 packets carry no LTP and are answered as a heartbeat here (an adapter merges
 * them with {@link decodeAngelPacket}). Never throws.
 */
export function decodeAngelMessage(frame: string | Uint8Array): DecodedFrame[] {
  if (typeof frame === 'string') return frame.trim() === 'pong' ? [{ type: 'heartbeat' }] : []
  const packet = decodeAngelPacket(frame)
  if (packet === undefined) return []
  if (packet.data === undefined) return [{ type: 'heartbeat' }]
  return [{ type: 'tick', key: `${packet.exchangeType}:${packet.token}`, data: packet.data }]
}

/** Tokens of one exchange type, as a request lists them. */
export interface AngelTokenGroup {
  exchangeType: number
  tokens: string[]
}

/**
 * A subscribe (`action` 1) or unsubscribe (0) request at an Angel mode (1 LTP, 2 Quote, 3 Snap
 * Quote, 4 Depth-20). The correlation id is at most 10 characters.
 */
export function angelRequestFrame(
  correlationId: string,
  action: 0 | 1,
  mode: 1 | 2 | 3 | 4,
  groups: readonly AngelTokenGroup[],
): string {
  return JSON.stringify({
    correlationID: correlationId.slice(0, 10),
    action,
    params: {
      mode,
      tokenList: groups.map((g) => ({ exchangeType: g.exchangeType, tokens: g.tokens })),
    },
  })
}
