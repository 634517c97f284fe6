/**
 * One client socket: its outbound queue and how it drains (streaming.md §4.2 "Backpressure"),
 * the inbound side (frames handled one at a time, in order; reading pauses beyond
 * `maxInboundQueue` frames waiting, like the reference's `WS_MAX_QUEUE`), keep-alive, and the
 * state the protocol handler keeps on it. Writes are corked per flush so a burst of frames for one
 * client costs one system call, and nothing is written while the socket holds more than the
 * high-water mark; the sweep of the server evicts a client that stays there too long.
 */
import type { Socket } from 'node:net'
import type { Clock, TimerHandle, Timers } from '@oa/broker-sdk'
import { WebSocket } from 'ws'
import type { FeedClient, FeedManager } from './feed-manager.js'
import type { KeyGrant } from './identity.js'
import type { ProxyMetrics } from './metrics.js'
import type { OrderSubscriber } from './order-events.js'
import { createOutboundQueue, type OutboundQueue } from './outbound-queue.js'
import { errorFrame, openJson } from './protocol/outbound.js'

/** Close codes the proxy uses (documented in the README). */
export const CLOSE = {
  /** authentication failed, timed out, or the key was revoked (the reference's code) */
  authFailed: 4401,
  /** too many failed authentications from this address */
  throttled: 4429,
  /** the client read too slowly (RFC 6455 "try again later") */
  slowConsumer: 1013,
  /** the server is shutting down */
  goingAway: 1001,
} as const

/** The per-socket limits. */
export interface ConnectionLimits {
  /** stop writing while this many bytes wait in the socket */
  readonly highWaterBytes: number
  /** frames a client's queue holds at most */
  readonly maxQueuedFrames: number
  /** inbound frames waiting to be handled before reading pauses */
  readonly maxInboundQueue: number
  /** how long a closing socket gets for the close handshake before it is cut, ms */
  readonly closeGraceMs: number
}

/** The authenticated part of a connection. */
export interface ConnectionAuth {
  readonly username: string
  readonly grant: KeyGrant
  manager: FeedManager
}

/** See the module comment. */
export interface ClientConnection extends FeedClient, OrderSubscriber {
  readonly id: number
  readonly ip: string
  /** `open` until a close started */
  readonly state: 'open' | 'closing' | 'closed'
  auth: ConnectionAuth | undefined
  ordersSubscribed: boolean
  /** since when the socket has stayed over the high-water mark (undefined: it is not) */
  readonly overSince: number | undefined
  readonly queued: number
  /** bytes written but not yet taken by the kernel (ws `bufferedAmount`) */
  readonly bufferedBytes: number
  /** Writes what is queued, as far as the high-water mark allows. */
  flush(): void
  /** Queues `frame`, writes everything queued, then closes with `code`. */
  closeWith(frame: Record<string, unknown> | undefined, code: number, reason: string): void
  /** Cuts the socket at once. */
  terminate(): void
  /** Closes a client that reads too slowly: a `SLOW_CONSUMER` error frame, then close 1013. */
  evictSlow(): void
  /** Sends a protocol ping, or cuts the socket when the last one got no pong in time. */
  keepAlive(timeoutMs: number): void
}

/** What a connection needs from the server. */
export interface ConnectionContext {
  readonly clock: Clock
  readonly timers: Timers
  readonly metrics: ProxyMetrics
  readonly limits: ConnectionLimits
  /** flushes the client on the next turn of the event loop (one flush per turn) */
  readonly scheduleFlush: (client: ClientConnection) => void
  /** handles one inbound frame; the connection awaits it before the next */
  readonly onFrame: (client: ClientConnection, text: string | undefined) => Promise<void>
  readonly onClose: (client: ClientConnection) => void
}

let nextId = 1
/** queued frames are UTF-8 JSON bytes: send them as text frames */
const TEXT = { binary: false } as const
const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Wraps an accepted socket. `raw` is the TCP socket under it (for cork, pause and drain). */
export function createClientConnection(
  ws: WebSocket,
  raw: Socket,
  ip: string,
  ctx: ConnectionContext,
): ClientConnection {
  const { clock, timers, metrics, limits } = ctx
  const queue: OutboundQueue = createOutboundQueue(limits.maxQueuedFrames)
  let state: 'open' | 'closing' | 'closed' = 'open'
  let dirty = false
  let overSince: number | undefined
  let inbound = 0
  let paused = false
  let chain: Promise<void> = Promise.resolve()
  let pingSentAt: number | undefined
  let killTimer: TimerHandle | undefined
  let lastConflated = 0
  let lastDropped = 0

  const countQueueStats = (): void => {
    metrics.conflated += queue.conflated - lastConflated
    metrics.dropped += queue.dropped - lastDropped
    lastConflated = queue.conflated
    lastDropped = queue.dropped
  }

  const mark = (): void => {
    if (dirty || state !== 'open') return
    dirty = true
    ctx.scheduleFlush(conn)
  }

  const conn: ClientConnection = {
    id: nextId++,
    ip,
    get state() {
      return state
    },
    auth: undefined,
    ordersSubscribed: false,
    lastOrderSeq: 0,
    get overSince() {
      return overSince
    },
    get queued() {
      return queue.size
    },
    get bufferedBytes() {
      return ws.bufferedAmount
    },
    pushMarket(key, open) {
      if (state !== 'open') return
      // nothing waiting and room in the socket: write through (the lowest latency); the queue
      // only holds frames while the socket is backed up or answers are waiting ahead of them
      if (
        queue.size === 0 &&
        overSince === undefined &&
        !dirty &&
        ws.readyState === WebSocket.OPEN
      ) {
        ws.send(queue.direct(open), TEXT)
        metrics.framesOut++
        if (ws.bufferedAmount >= limits.highWaterBytes) overSince = clock.now()
        return
      }
      queue.pushMarket(key, open, overSince !== undefined)
      mark()
    },
    pushControl(frame) {
      if (state !== 'open') return
      if (!queue.pushControl(openJson(frame))) {
        // a client that lets even its answers pile up is not reading at all
        evictSlow()
        return
      }
      mark()
    },
    flush() {
      dirty = false
      if (state !== 'open' || ws.readyState !== WebSocket.OPEN) return
      countQueueStats()
      if (queue.size === 0) {
        if (overSince !== undefined && ws.bufferedAmount < limits.highWaterBytes)
          overSince = undefined
        return
      }
      if (ws.bufferedAmount >= limits.highWaterBytes) {
        overSince ??= clock.now()
        return
      }
      raw.cork()
      let frame: Buffer | undefined
      while ((frame = queue.shift()) !== undefined) {
        ws.send(frame, TEXT)
        metrics.framesOut++
        if (ws.bufferedAmount >= limits.highWaterBytes) break
      }
      raw.uncork()
      if (ws.bufferedAmount >= limits.highWaterBytes) {
        // 'drain' flushes again once the socket has room
        overSince ??= clock.now()
      } else {
        overSince = undefined
        if (queue.size > 0) mark()
      }
    },
    closeWith(frame, code, reason) {
      if (state !== 'open') return
      if (frame !== undefined) queue.pushControl(openJson(frame))
      conn.flush()
      state = 'closing'
      ctx.onClose(conn)
      try {
        ws.close(code, reason)
      } catch {
        ws.terminate()
      }
      killTimer = timers.setTimeout(() => ws.terminate(), limits.closeGraceMs)
    },
    terminate() {
      if (state === 'open') {
        state = 'closing'
        ctx.onClose(conn)
      }
      ws.terminate()
    },
    evictSlow: () => evictSlow(),
    keepAlive(timeoutMs) {
      if (state !== 'open') return
      const now = clock.now()
      if (pingSentAt !== undefined) {
        if (now - pingSentAt >= timeoutMs) conn.terminate()
        return
      }
      pingSentAt = now
      try {
        ws.ping()
      } catch {
        conn.terminate()
      }
    },
  }

  /** Over the high-water mark for too long, or not reading answers at all: SLOW_CONSUMER, 1013. */
  function evictSlow(): void {
    if (state !== 'open') return
    metrics.slowConsumers++
    queue.clear()
    // straight to the socket: the frame goes behind what the client has not read yet
    const frame = errorFrame(
      'SLOW_CONSUMER',
      'This connection read market data too slowly and was closed; reconnect and subscribe to fewer instruments or read faster',
    )
    ws.send(`${openJson(frame)},"seq":${queue.seq + 1}}`)
    state = 'closing'
    ctx.onClose(conn)
    ws.close(CLOSE.slowConsumer, 'slow consumer')
    killTimer = timers.setTimeout(() => ws.terminate(), limits.closeGraceMs)
  }

  raw.on('drain', () => {
    if (state === 'open') conn.flush()
  })
  ws.on('pong', () => {
    pingSentAt = undefined
  })
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (state !== 'open') return
    const buffer = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data)
    let text: string | undefined
    if (!isBinary) text = buffer.toString('utf8')
    else {
      // the reference's json.loads also took bytes: a binary frame of UTF-8 JSON is a message
      try {
        text = utf8.decode(buffer)
      } catch {
        text = undefined
      }
    }
    inbound++
    if (inbound > limits.maxInboundQueue && !paused) {
      paused = true
      raw.pause()
    }
    chain = chain
      .then(() => (state === 'open' ? ctx.onFrame(conn, text) : undefined))
      .catch(() => undefined)
      .then(() => {
        inbound--
        if (paused && inbound <= limits.maxInboundQueue / 2) {
          paused = false
          raw.resume()
        }
      })
  })
  ws.on('error', () => {
    // 'close' follows; a protocol error (bad UTF-8, oversized frame) closes with its own code
  })
  ws.on('close', () => {
    if (killTimer !== undefined) timers.clearTimeout(killTimer)
    killTimer = undefined
    countQueueStats()
    queue.clear()
    if (state === 'open') {
      state = 'closed'
      ctx.onClose(conn)
    }
    state = 'closed'
  })
  return conn
}
