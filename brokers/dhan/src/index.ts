/**
 * `@oa/broker-dhan`: Dhan's live market feed v2 and 20-level depth wire formats (streaming.md
 * §3.3) as pure functions. Decoders only until the real-broker issue brings the driver, login and
 * socket adapter.
 *
 * @example
 * ```ts
 * import { decodeDhanFrame } from '@oa/broker-dhan'
 *
 * for (const packet of decodeDhanFrame(binaryFrame)) {
 *   if (packet.kind === 'quote') console.log(packet.securityId, packet.data.ltp) // Inr4
 * }
 * ```
 */
export {
  DHAN_REQUEST_CODES,
  DHAN_SEGMENTS,
  createDhanDepth20Book,
  decodeDhanDepth20Frame,
  decodeDhanFrame,
  decodeDhanMessage,
  dhanKey,
  dhanPrice,
  dhanSubscribeFrame,
} from './market-feed.js'
export type {
  DhanDepth20Book,
  DhanDepth20Packet,
  DhanInstrument,
  DhanPacket,
} from './market-feed.js'
