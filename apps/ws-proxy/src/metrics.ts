/**
 * The proxy's counters (streaming.md §4.2 "Observability"): plain numbers incremented on the hot
 * path (no labels, no allocation), read by the health endpoint and the IPC `stats` reply.
 */
export interface ProxyMetrics {
  /** ticks received from broker adapters */
  ticksIn: number
  /** frames written to client sockets */
  framesOut: number
  /** market frames replaced by a newer value before they were sent */
  conflated: number
  /** market frames dropped because a client's queue was full */
  dropped: number
  /** clients closed for reading too slowly (SLOW_CONSUMER, 1013) */
  slowConsumers: number
  /** broker connections re-established (adapter reconnects, rebuilds, token changes) */
  reconnects: number
  /** connected-but-mute feeds restarted by the stall watchdog */
  stalls: number
  authSuccesses: number
  /** failed authentications (invalid or missing key, throttled, timed out) */
  authFailures: number
  /** sockets closed because their API key was rotated or deleted */
  keyRevocations: number
  /** order_update frames queued to clients */
  orderEvents: number
  /** order events the server pushed over IPC (the rest arrive through the table poll) */
  orderEventsPushed: number
  /** inbound frames answered with an error */
  badFrames: number
  /** subscribe requests answered, and the sum and max of their latency (ms) */
  subscribeRequests: number
  subscribeLatencyMsSum: number
  subscribeLatencyMsMax: number
}

/** Fresh counters, all zero. */
export function createMetrics(): ProxyMetrics {
  return {
    ticksIn: 0,
    framesOut: 0,
    conflated: 0,
    dropped: 0,
    slowConsumers: 0,
    reconnects: 0,
    stalls: 0,
    authSuccesses: 0,
    authFailures: 0,
    keyRevocations: 0,
    orderEvents: 0,
    orderEventsPushed: 0,
    badFrames: 0,
    subscribeRequests: 0,
    subscribeLatencyMsSum: 0,
    subscribeLatencyMsMax: 0,
  }
}
