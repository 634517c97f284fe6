/**
 * `@oa/broker-angel`: Angel One's SmartAPI WebSocket 2.0 wire format (streaming.md §3.2) as pure
 * functions. Decoders only until the real-broker issue brings the driver, login and socket adapter.
 *
 * @example
 * ```ts
 * import { decodeAngelPacket } from '@oa/broker-angel'
 *
 * const packet = decodeAngelPacket(binaryFrame) // undefined for a short or unknown packet
 * if (packet?.data) console.log(packet.token, packet.data.ltp) // ltp in 1/10,000 rupee
 * ```
 */
export {
  ANGEL_EXCHANGE_TYPES,
  ANGEL_PACKET_SIZES,
  angelRequestFrame,
  decodeAngelMessage,
  decodeAngelPacket,
} from './smart-stream.js'
export type { AngelPacket, AngelTokenGroup } from './smart-stream.js'
