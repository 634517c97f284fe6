import { z } from 'zod'
import { analyzerEntry, MASTER_CONTRACT_STATES, orderRow } from './schemas.js'

/**
 * What `GET /ui/api/events` pushes to a logged-in browser (server-sent events, one JSON object
 * per `data:` line, `event:` = `type`). Per user, never a broadcast (W-2). Order events carry the
 * changed row so the page patches its cache (W-22) instead of refetching a whole book.
 */
export const webEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('order'),
    /** what happened: placed, complete, rejected, cancelled, modified, … */
    kind: z.string(),
    mode: z.enum(['live', 'analyze']),
    order: orderRow,
  }),
  /** positions, holdings, trades or funds changed; the page refetches those */
  z.object({
    type: z.literal('portfolio'),
    what: z.array(z.enum(['positions', 'holdings', 'trades', 'funds'])),
  }),
  /** the analyzer switch moved, in this tab or any other (W-8) */
  z.object({ type: z.literal('mode'), mode: z.enum(['live', 'analyze']) }),
  z.object({
    type: z.literal('master_contract'),
    status: z.enum(MASTER_CONTRACT_STATES),
    message: z.string(),
    progressPercent: z.number().nullable(),
  }),
  z.object({ type: z.literal('analyzer'), entry: analyzerEntry }),
  /** the session ended elsewhere (logout, password change, daily boundary) */
  z.object({ type: z.literal('session'), reason: z.string(), message: z.string() }),
  /** a toast for the trader: a rejection, a failure the server saw (W-7) */
  z.object({
    type: z.literal('notice'),
    level: z.enum(['info', 'success', 'warning', 'error']),
    message: z.string(),
  }),
])
export type WebEvent = z.infer<typeof webEvent>
export type WebEventType = WebEvent['type']

/** Parses one SSE `data:` payload; null when it is not a known event (ignored, not thrown). */
export function parseWebEvent(data: string): WebEvent | null {
  try {
    const parsed = webEvent.safeParse(JSON.parse(data))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
