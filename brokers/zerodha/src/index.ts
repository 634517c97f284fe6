/**
 * `@oa/broker-zerodha`: Zerodha Kite's ticker wire format (streaming.md §3.1) as pure functions.
 * Decoders only until the real-broker issue brings the driver, login and socket adapter.
 *
 * @example
 * ```ts
 * import { decodeKiteFrame } from '@oa/broker-zerodha'
 *
 * for (const packet of decodeKiteFrame(binaryFrame)) {
 *   console.log(packet.token, packet.kind, packet.data.ltp) // ltp in 1/10,000 rupee
 * }
 * ```
 */
export {
  KITE_MODES,
  KITE_SEGMENTS,
  decodeKiteFrame,
  decodeKiteMessage,
  decodeKitePacket,
  kiteFullExtras,
  kitePrice,
  kiteSubscribeFrames,
  kiteUnsubscribeFrame,
} from './ticker.js'
export type { KitePacket, KitePacketKind } from './ticker.js'
