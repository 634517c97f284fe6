/**
 * Order events: the contract between the process that changes orders (apps/server: the sandbox in
 * analyzer mode, the broker's live orders) and the one that pushes them to sockets (apps/ws-proxy),
 * spec streaming.md §1.7, §2.7, §4.2 "Order updates".
 *
 * The server appends every order-state change to `order_events` with {@link appendOrderEvent}
 * (which gives it the user's next `seq`), then sends the same event over the fork IPC channel as
 * an {@link OrderEventMessage}. The ws-proxy delivers IPC messages at once and also polls the table
 * (a standalone proxy has no IPC), de-duplicating by (username, seq). A client that saw a gap in
 * `order_seq` catches up from the table through the server's REST call (see the ws-proxy README).
 */
import type { Generated } from 'kysely'
import { z } from 'zod'
import type { Statement } from 'better-sqlite3'
import type { SqliteDatabase } from './sqlite.js'

/** What happened to the order (the event), not the state it is in afterwards (that is `status`). */
export const ORDER_EVENT_KINDS = [
  'placed',
  'open',
  'trigger_pending',
  'partially_filled',
  'complete',
  'rejected',
  'cancelled',
  'modified',
  'expired',
] as const
/** One of {@link ORDER_EVENT_KINDS}. */
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number]

/** The order's state after the event, as the order book shows it. */
export const ORDER_EVENT_STATUSES = [
  'open',
  'trigger_pending',
  'complete',
  'rejected',
  'cancelled',
  'expired',
] as const
/** One of {@link ORDER_EVENT_STATUSES}. */
export type OrderEventStatus = (typeof ORDER_EVENT_STATUSES)[number]

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)
/** integer 1/10,000 rupee (STYLE.md §8) */
const e4 = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

/**
 * One order-state change, in oa's internal shape (camelCase, prices in integer 1/10,000 rupee).
 * `fill` is the execution that caused a `partially_filled` or `complete` event.
 */
export const orderEventSchema = z.object({
  kind: z.enum(ORDER_EVENT_KINDS),
  status: z.enum(ORDER_EVENT_STATUSES),
  /** `live` (broker) or `analyze` (sandbox engine) */
  mode: z.enum(['live', 'analyze']),
  broker: z.string().min(1),
  orderId: z.string().min(1),
  symbol: z.string().min(1),
  exchange: z.string().min(1),
  action: z.enum(['BUY', 'SELL']),
  quantity: count,
  priceE4: e4,
  triggerPriceE4: e4,
  priceType: z.enum(['MARKET', 'LIMIT', 'SL', 'SL-M']),
  product: z.enum(['CNC', 'NRML', 'MIS']),
  filledQuantity: count,
  pendingQuantity: count,
  averagePriceE4: e4,
  fill: z
    .object({
      priceE4: e4,
      quantity: count.refine((q) => q > 0, 'a fill has a positive quantity'),
      tradeId: z.string().min(1).optional(),
    })
    .nullable(),
  /** '' unless the order was rejected */
  rejectionReason: z.string(),
  /** when the change happened, epoch ms */
  atEpochMs: z.number().int().nonnegative(),
  strategy: z.string().optional(),
})
/** One order-state change (see {@link orderEventSchema}). */
export type OrderEvent = z.infer<typeof orderEventSchema>

/** server → ws-proxy: an order event, already appended to `order_events` with this `seq`. */
export const orderEventMessageSchema = z.object({
  type: z.literal('order_event'),
  username: z.string().min(1),
  /** the user's sequence number returned by {@link appendOrderEvent} */
  seq: z.number().int().positive(),
  event: orderEventSchema,
})
/** server → ws-proxy: an order event (see {@link orderEventMessageSchema}). */
export type OrderEventMessage = z.infer<typeof orderEventMessageSchema>

/**
 * server → ws-proxy: the order events one transaction made durable, oldest first, in one message
 * (an order usually makes two, placed and open or filled; one IPC message per event cost the
 * server ~7% of its CPU at 1,200 orders/s).
 */
export const orderEventsMessageSchema = z.object({
  type: z.literal('order_events'),
  events: z
    .array(orderEventMessageSchema.omit({ type: true }))
    .min(1)
    .max(10_000),
})
/** server → ws-proxy: a batch of order events (see {@link orderEventsMessageSchema}). */
export type OrderEventsMessage = z.infer<typeof orderEventsMessageSchema>

/**
 * Every message the server may send the ws-proxy over the fork IPC channel. `auth_changed` makes
 * the proxy re-check a user's sockets at once (the epoch poll would see it within ~100 ms anyway);
 * `get_stats` asks for a `stats` reply.
 */
export const serverToProxyMessageSchema = z.discriminatedUnion('type', [
  orderEventMessageSchema,
  orderEventsMessageSchema,
  z.object({ type: z.literal('auth_changed'), username: z.string().min(1).optional() }),
  z.object({ type: z.literal('get_stats'), requestId: z.string().max(100).optional() }),
])
/** A message of {@link serverToProxyMessageSchema}. */
export type ServerToProxyMessage = z.infer<typeof serverToProxyMessageSchema>

/** Every message the ws-proxy sends its supervisor over the fork IPC channel. */
export const proxyToServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), port: z.number().int().nonnegative() }),
  z.object({
    type: z.literal('stats'),
    requestId: z.string().max(100).optional(),
    stats: z.record(z.string(), z.unknown()),
  }),
])
/** A message of {@link proxyToServerMessageSchema}. */
export type ProxyToServerMessage = z.infer<typeof proxyToServerMessageSchema>

/** `order_events` (main database, migration 0070): one row per order event, `seq` per user. */
export interface OrderEventsTable {
  /** AUTOINCREMENT: never reused, so a reader's `id` cursor survives purges */
  id: Generated<number>
  username: string
  /** 1, 2, 3 … per username, no gaps */
  seq: number
  /** {@link OrderEvent} as JSON */
  event_json: string
  /** UTC ISO-8601 of the event */
  created_at: string
}

/** The tables of this module, for `MainDatabase`. */
export interface OrderEventTables {
  order_events: OrderEventsTable
}

/** A stored event read back. */
export interface StoredOrderEvent {
  readonly id: number
  readonly username: string
  readonly seq: number
  readonly event: OrderEvent
}

type Connection = SqliteDatabase | { readonly sqlite: SqliteDatabase }

const raw = (db: Connection): SqliteDatabase => ('sqlite' in db ? db.sqlite : db)

interface Row {
  id: number
  username: string
  seq: number
  event_json: string
}

const parseRow = (row: Row): StoredOrderEvent | undefined => {
  let json: unknown
  try {
    json = JSON.parse(row.event_json)
  } catch {
    return undefined
  }
  const parsed = orderEventSchema.safeParse(json)
  return parsed.success
    ? { id: row.id, username: row.username, seq: row.seq, event: parsed.data }
    : undefined
}

type AnyStatement = Statement<unknown[], unknown>
/** One event to append: the user it belongs to and the event. */
export interface OrderEventToAppend {
  readonly username: string
  readonly event: OrderEvent
}
type AppendAll = (batch: readonly OrderEventToAppend[]) => StoredOrderEvent[]
// prepared and wrapped once per connection: the server appends two events per order on its hot
// path, and better-sqlite3 builds five wrappers per `transaction()` call
const appenders = new WeakMap<SqliteDatabase, AppendAll>()

function appenderOf(conn: SqliteDatabase): AppendAll {
  let append = appenders.get(conn)
  if (append !== undefined) return append
  const next: AnyStatement = conn.prepare(
    'SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM order_events WHERE username = ?',
  )
  const insert: AnyStatement = conn.prepare(
    'INSERT INTO order_events (username, seq, event_json, created_at) VALUES (?, ?, ?, ?)',
  )
  const txn = conn.transaction((batch: readonly OrderEventToAppend[]) => {
    // each user's next seq is read once per batch, inside the write lock
    const seqs = new Map<string, number>()
    return batch.map(({ username, event }) => {
      let seq = seqs.get(username)
      if (seq === undefined) seq = (next.get(username) as { seq: number }).seq
      seqs.set(username, seq + 1)
      const info = insert.run(
        username,
        seq,
        JSON.stringify(event),
        new Date(event.atEpochMs).toISOString(),
      )
      return { id: Number(info.lastInsertRowid), username, seq, event }
    })
  })
  append = (batch) => txn.immediate(batch)
  appenders.set(conn, append)
  return append
}

const checked = (username: string, event: OrderEvent): OrderEventToAppend => {
  const parsed = orderEventSchema.parse(event)
  if (username === '') throw new Error('appendOrderEvent: username is empty')
  return { username, event: parsed }
}

/**
 * Appends an event for `username` and returns its row id and the user's next `seq` (1 for the
 * first). Runs in an IMMEDIATE transaction, so two processes appending at once get distinct,
 * gap-free sequence numbers. Call it before sending the IPC message, which carries the `seq`.
 *
 * @throws Error when `event` does not satisfy {@link orderEventSchema} (a bug in the caller)
 */
export function appendOrderEvent(
  db: Connection,
  username: string,
  event: OrderEvent,
): { id: number; seq: number } {
  const [appended] = appenderOf(raw(db))([checked(username, event)])
  if (appended === undefined) throw new Error('appendOrderEvent: nothing appended')
  return { id: appended.id, seq: appended.seq }
}

/**
 * Appends several events, in order, in one IMMEDIATE transaction (all or none), and returns them
 * as stored (row id, `seq`), in the same order: what {@link appendOrderEvent} does for one, at
 * the cost of one commit for the batch instead of one per event.
 *
 * @throws Error when an event does not satisfy {@link orderEventSchema}; nothing is appended then
 */
export function appendOrderEvents(
  db: Connection,
  batch: readonly OrderEventToAppend[],
): StoredOrderEvent[] {
  if (batch.length === 0) return []
  return appenderOf(raw(db))(batch.map((b) => checked(b.username, b.event)))
}

/**
 * The user's events with `seq > afterSeq`, oldest first, at most `limit` (default 500): what
 * `POST /api/v1/orderevents` answers and what a socket replays on `subscribe_orders` with
 * `after_seq`. Rows that no longer parse are skipped.
 */
export function readOrderEvents(
  db: Connection,
  username: string,
  afterSeq: number,
  limit = 500,
): StoredOrderEvent[] {
  const rows = raw(db)
    .prepare(
      'SELECT id, username, seq, event_json FROM order_events WHERE username = ? AND seq > ? ORDER BY seq LIMIT ?',
    )
    .all(username, afterSeq, limit) as Row[]
  return rows.map(parseRow).filter((e): e is StoredOrderEvent => e !== undefined)
}

/** Every user's events with `id > afterId`, oldest first, at most `limit`: the proxy's poll. */
export function readOrderEventsAfterId(
  db: Connection,
  afterId: number,
  limit = 1000,
): { events: StoredOrderEvent[]; lastId: number } {
  const rows = raw(db)
    .prepare(
      'SELECT id, username, seq, event_json FROM order_events WHERE id > ? ORDER BY id LIMIT ?',
    )
    .all(afterId, limit) as Row[]
  const last = rows.at(-1)
  return {
    events: rows.map(parseRow).filter((e): e is StoredOrderEvent => e !== undefined),
    lastId: last === undefined ? afterId : last.id,
  }
}

/** The newest row id, 0 when the table is empty (a reader starts after it). */
export function lastOrderEventId(db: Connection): number {
  const row = raw(db).prepare('SELECT COALESCE(MAX(id), 0) AS id FROM order_events').get() as {
    id: number
  }
  return row.id
}

/** Deletes events created before `beforeEpochMs`; returns how many. */
export function purgeOrderEvents(db: Connection, beforeEpochMs: number): number {
  const info = raw(db)
    .prepare('DELETE FROM order_events WHERE created_at < ?')
    .run(new Date(beforeEpochMs).toISOString())
  return info.changes
}

const rupees = (e4value: number): number => e4value / 10_000

/**
 * The OpenAlgo `order_update` frame of streaming.md §1.7 for an event, plus oa's additive fields:
 * `event` (the kind), `fill_price` / `fill_quantity` (the execution, when there is one),
 * `order_seq` (the user's sequence number, for gap detection and `after_seq` catch-up) and
 * `timestamp` (epoch ms). Used by the ws-proxy on the socket and by the server's REST catch-up.
 */
export function toOrderUpdateFrame(
  username: string,
  seq: number,
  event: OrderEvent,
): Record<string, unknown> {
  return {
    type: 'order_update',
    user_id: username,
    mode: event.mode,
    broker: event.broker,
    orderid: event.orderId,
    symbol: event.symbol,
    exchange: event.exchange,
    action: event.action,
    quantity: event.quantity,
    price: rupees(event.priceE4),
    trigger_price: rupees(event.triggerPriceE4),
    pricetype: event.priceType,
    product: event.product,
    order_status: event.status === 'trigger_pending' ? 'trigger pending' : event.status,
    filled_quantity: event.filledQuantity,
    pending_quantity: event.pendingQuantity,
    average_price: rupees(event.averagePriceE4),
    rejection_reason: event.status === 'rejected' ? event.rejectionReason : '',
    event: event.kind,
    ...(event.fill === null
      ? {}
      : { fill_price: rupees(event.fill.priceE4), fill_quantity: event.fill.quantity }),
    order_seq: seq,
    timestamp: event.atEpochMs,
    ...(event.strategy === undefined ? {} : { strategy: event.strategy }),
  }
}
