/**
 * The server → ws-proxy IPC door (the fork channel): every message is validated with the zod
 * schema both sides import from `@oa/db` (`serverToProxyMessageSchema`), then acted on.
 */
import type { Logger } from '@oa/broker-sdk'
import { serverToProxyMessageSchema, type ProxyToServerMessage } from '@oa/db'
import type { FeedServer } from './server.js'

/** What {@link handleServerMessage} acts on. */
export interface IpcDeps {
  readonly server: FeedServer
  /** ORDER_UPDATES_ENABLED */
  readonly ordersEnabled: boolean
  readonly reply: (message: ProxyToServerMessage) => void
  readonly logger: Logger
}

/**
 * Handles one IPC message: `order_event` (and each event of an `order_events` batch, in order) is
 * delivered to the user's order subscribers (the server appended it to `order_events` first,
 * with this `seq`); `auth_changed` re-checks sockets and
 * feeds at once; `get_stats` is answered with a `stats` message. Invalid messages are logged and
 * ignored. Returns whether the message was valid.
 */
export function handleServerMessage(raw: unknown, deps: IpcDeps): boolean {
  const parsed = serverToProxyMessageSchema.safeParse(raw)
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues.length }, 'ignored an invalid IPC message')
    return false
  }
  const msg = parsed.data
  switch (msg.type) {
    case 'order_event':
      deps.server.metrics.orderEventsPushed++
      if (deps.ordersEnabled) deps.server.deliverOrderEvent(msg.username, msg.seq, msg.event)
      break
    case 'order_events':
      deps.server.metrics.orderEventsPushed += msg.events.length
      if (deps.ordersEnabled) {
        for (const e of msg.events) deps.server.deliverOrderEvent(e.username, e.seq, e.event)
      }
      break
    case 'auth_changed':
      void deps.server
        .credentialsChanged(msg.username)
        .catch((cause) => deps.logger.error({ err: String(cause) }, 'credential check failed'))
      break
    case 'get_stats':
      deps.reply({
        type: 'stats',
        ...(msg.requestId === undefined ? {} : { requestId: msg.requestId }),
        stats: { ...deps.server.stats() },
      })
      break
  }
  return true
}
