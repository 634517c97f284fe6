/**
 * The client → server door (streaming.md §1.2–1.4): every inbound frame is parsed here with zod
 * into a typed command, or into the error frame's code and message. Compatibility rules of the
 * reference are kept (`type` as an alias of `action`, `auth`/`apikey` aliases, `mode` default
 * Quote and `depth` default 5, the top-level single-symbol form, `request_id` echoed verbatim),
 * and the additive aliases of §4.2 are accepted (`instruments` for `symbols`, `depth_level` for
 * `depth`). Nothing past this file re-checks a command.
 */
import type { StreamMode } from '@oa/broker-sdk'
import { z } from 'zod'
import { normalizeMode } from './modes.js'

/** Error codes on the wire (streaming.md §1.8, plus oa's additive ones). */
export type WireErrorCode =
  | 'AUTHENTICATION_ERROR'
  | 'BROKER_ERROR'
  | 'BROKER_INIT_ERROR'
  | 'BROKER_CONNECTION_ERROR'
  | 'NOT_AUTHENTICATED'
  | 'INVALID_MODE'
  | 'INVALID_PARAMETERS'
  | 'INVALID_ACTION'
  | 'INVALID_JSON'
  | 'SERVER_ERROR'
  | 'TOO_MANY_SYMBOLS'
  | 'SLOW_CONSUMER'
  | 'RATE_LIMITED'

/** A symbol entry of a request: usable, or reported back as invalid (§4.1 item 6). */
export type SymbolEntry =
  | { readonly ok: true; readonly symbol: string; readonly exchange: string }
  | {
      readonly ok: false
      readonly symbol: unknown
      readonly exchange: unknown
      readonly message: string
    }

/** An unsubscribe entry; `mode` absent means every mode of the instrument (§2.3). */
export type UnsubscribeEntry =
  | {
      readonly ok: true
      readonly symbol: string
      readonly exchange: string
      readonly mode: StreamMode | undefined
    }
  | {
      readonly ok: false
      readonly symbol: unknown
      readonly exchange: unknown
      readonly message: string
    }

/** A parsed client message. `requestId` is whatever JSON the client sent, echoed as is. */
export type ClientCommand =
  | {
      readonly action: 'authenticate'
      readonly apiKey: unknown
      /** the web app's short-lived `oaft1.` token (`GET /ui/api/feed-token`), market data only */
      readonly feedToken: unknown
    }
  | {
      readonly action: 'subscribe'
      readonly entries: readonly SymbolEntry[]
      readonly mode: StreamMode
      readonly depth: number
      readonly requestId: unknown
    }
  | {
      readonly action: 'unsubscribe'
      readonly entries: readonly UnsubscribeEntry[]
      readonly requestId: unknown
    }
  | { readonly action: 'unsubscribe_all'; readonly requestId: unknown }
  | {
      readonly action: 'subscribe_orders'
      readonly requestId: unknown
      /** oa: replay the user's order events after this `order_seq` before going live */
      readonly afterSeq: number | undefined
    }
  | { readonly action: 'unsubscribe_orders'; readonly requestId: unknown }
  | { readonly action: 'get_broker_info' }
  | { readonly action: 'get_supported_brokers' }
  | { readonly action: 'ping'; readonly timestamp: unknown; readonly pingId: unknown }

/** The outcome of parsing one frame. */
export type ParsedMessage =
  | { readonly ok: true; readonly command: ClientCommand }
  | { readonly ok: false; readonly code: WireErrorCode; readonly message: string }

const MAX_TEXT = 200

const envelope = z.looseObject({
  action: z.unknown().optional(),
  type: z.unknown().optional(),
})

const symbolText = z.string().trim().min(1).max(MAX_TEXT)
const entrySchema = z.looseObject({
  symbol: symbolText,
  exchange: symbolText,
  mode: z.unknown().optional(),
})

const depthSchema = z.union([
  z.number().int().min(1).max(50),
  z
    .string()
    .regex(/^\d{1,2}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(50)),
])

const afterSeqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

/** Python truthiness, which the reference's `data.get(x) or default` relies on. */
const truthy = (v: unknown): boolean =>
  !(
    v === undefined ||
    v === null ||
    v === false ||
    v === 0 ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
  )

const pythonRepr = (v: unknown): string =>
  (v === undefined || v === null ? 'None' : typeof v === 'string' ? v : JSON.stringify(v)).slice(
    0,
    MAX_TEXT,
  )

function readEntry(raw: unknown): SymbolEntry {
  const parsed = entrySchema.safeParse(raw)
  if (parsed.success)
    return { ok: true, symbol: parsed.data.symbol, exchange: parsed.data.exchange }
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
  return {
    ok: false,
    symbol: obj['symbol'] ?? null,
    exchange: obj['exchange'] ?? null,
    message: 'each entry needs a non-empty "symbol" and "exchange"',
  }
}

/** The list of instruments a request names: `symbols`, `instruments` (§4.2 alias), or none. */
function listOf(
  data: Record<string, unknown>,
): { ok: true; list: unknown[] } | { ok: false; message: string } {
  const value = truthy(data['symbols']) ? data['symbols'] : data['instruments']
  if (!truthy(value)) return { ok: true, list: [] }
  if (!Array.isArray(value))
    return { ok: false, message: '"symbols" must be an array of {"symbol", "exchange"} objects' }
  return { ok: true, list: value }
}

function parseSubscribe(data: Record<string, unknown>): ParsedMessage {
  const rawMode = data['mode'] === undefined ? 'Quote' : data['mode']
  const mode = normalizeMode(rawMode)
  if (!mode.ok) return { ok: false, code: 'INVALID_MODE', message: mode.message }
  const rawDepth = data['depth'] ?? data['depth_level'] ?? 5
  const depth = depthSchema.safeParse(rawDepth)
  if (!depth.success) {
    return {
      ok: false,
      code: 'INVALID_PARAMETERS',
      message: `Invalid depth ${pythonRepr(rawDepth)}; expected an integer from 1 to 50 (5 or 20 on most brokers)`,
    }
  }
  const list = listOf(data)
  if (!list.ok) return { ok: false, code: 'INVALID_PARAMETERS', message: list.message }
  let raw = list.list
  if (raw.length === 0 && truthy(data['symbol']) && truthy(data['exchange'])) {
    raw = [{ symbol: data['symbol'], exchange: data['exchange'] }]
  }
  if (raw.length === 0) {
    return {
      ok: false,
      code: 'INVALID_PARAMETERS',
      message: 'At least one symbol must be specified',
    }
  }
  return {
    ok: true,
    command: {
      action: 'subscribe',
      entries: raw.map(readEntry),
      mode: mode.mode,
      depth: depth.data,
      requestId: data['request_id'],
    },
  }
}

function parseUnsubscribe(data: Record<string, unknown>, all: boolean): ParsedMessage {
  const requestId = data['request_id']
  if (all) return { ok: true, command: { action: 'unsubscribe_all', requestId } }
  const list = listOf(data)
  if (!list.ok) return { ok: false, code: 'INVALID_PARAMETERS', message: list.message }
  const readMode = (
    value: unknown,
  ): { ok: true; mode: StreamMode | undefined } | { ok: false; message: string } => {
    if (value === undefined || value === null) return { ok: true, mode: undefined }
    const m = normalizeMode(value)
    return m.ok ? { ok: true, mode: m.mode } : m
  }
  if (list.list.length === 0) {
    if (!(truthy(data['symbol']) && truthy(data['exchange']))) {
      return {
        ok: false,
        code: 'INVALID_PARAMETERS',
        message: 'Either symbols or unsubscribe_all is required',
      }
    }
    // single form: the top-level mode applies; an invalid one fails the whole request
    const mode = readMode(data['mode'])
    if (!mode.ok) return { ok: false, code: 'INVALID_MODE', message: mode.message }
    const entry = readEntry({ symbol: data['symbol'], exchange: data['exchange'] })
    return {
      ok: true,
      command: {
        action: 'unsubscribe',
        entries: [entry.ok ? { ...entry, mode: mode.mode } : entry],
        requestId,
      },
    }
  }
  // array form: the mode is read per entry (a top-level mode is ignored, as in the reference)
  const entries = list.list.map((raw): UnsubscribeEntry => {
    const entry = readEntry(raw)
    if (!entry.ok) return entry
    const mode = readMode((raw as Record<string, unknown>)['mode'])
    if (!mode.ok)
      return { ok: false, symbol: entry.symbol, exchange: entry.exchange, message: mode.message }
    return { ...entry, mode: mode.mode }
  })
  return { ok: true, command: { action: 'unsubscribe', entries, requestId } }
}

/**
 * Parses one client frame (text, or a binary frame holding UTF-8 JSON, which the reference's
 * `json.loads` also accepted). Never throws.
 */
export function parseClientMessage(text: string): ParsedMessage {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ok: false, code: 'INVALID_JSON', message: 'Invalid JSON message' }
  }
  const env = envelope.safeParse(json)
  if (!env.success || Array.isArray(json)) {
    return {
      ok: false,
      code: 'INVALID_PARAMETERS',
      message: 'a message must be a JSON object with an "action"',
    }
  }
  const data = env.data as Record<string, unknown>
  const action = truthy(data['action']) ? data['action'] : data['type']
  switch (action) {
    case 'authenticate':
    case 'auth':
      return {
        ok: true,
        command: {
          action: 'authenticate',
          apiKey: truthy(data['api_key']) ? data['api_key'] : data['apikey'],
          feedToken: data['feed_token'],
        },
      }
    case 'subscribe':
      return parseSubscribe(data)
    case 'unsubscribe':
    case 'unsubscribe_all':
      return parseUnsubscribe(
        data,
        data['type'] === 'unsubscribe_all' || data['action'] === 'unsubscribe_all',
      )
    case 'subscribe_orders': {
      const after = data['after_seq']
      if (after !== undefined && after !== null && !afterSeqSchema.safeParse(after).success) {
        return {
          ok: false,
          code: 'INVALID_PARAMETERS',
          message: `after_seq must be a non-negative integer, got ${pythonRepr(after)}`,
        }
      }
      return {
        ok: true,
        command: {
          action: 'subscribe_orders',
          requestId: data['request_id'],
          afterSeq: typeof after === 'number' ? after : undefined,
        },
      }
    }
    case 'unsubscribe_orders':
      return { ok: true, command: { action: 'unsubscribe_orders', requestId: data['request_id'] } }
    case 'get_broker_info':
      return { ok: true, command: { action: 'get_broker_info' } }
    case 'get_supported_brokers':
      return { ok: true, command: { action: 'get_supported_brokers' } }
    case 'ping':
      return {
        ok: true,
        command: { action: 'ping', timestamp: data['timestamp'], pingId: data['_pingId'] },
      }
    default: {
      const shown = typeof action === 'string' ? action.slice(0, MAX_TEXT) : pythonRepr(action)
      return { ok: false, code: 'INVALID_ACTION', message: `Invalid action: ${shown}` }
    }
  }
}
