import type { StreamMode } from './enums.js'
import { instrumentKey } from './models.js'
import type { InstrumentRef } from './models.js'

/**
 * What the broker side must do after a bookkeeping change for one instrument: subscribe
 * (`from` 0), change mode or depth, or unsubscribe (`to` 0). At most one change per call.
 */
export interface SubscriptionChange {
  ref: InstrumentRef
  /** the effective mode before, 0 when not subscribed */
  from: StreamMode | 0
  /** the effective mode after, 0 when no longer subscribed */
  to: StreamMode | 0
  /** effective depth after (5 unless a Depth subscriber asked for more) */
  depth: number
}

/** One client's subscription to an instrument, for fan-out. */
export interface Subscriber<C> {
  client: C
  mode: StreamMode
  depth: number
}

/**
 * Reference-counted subscriptions of one (broker, user) (streaming.md §2.3): per instrument, the
 * set of clients at each mode. The broker is subscribed at the highest mode with a client; every
 * add/remove returns the single broker-side change it implies, or `undefined` when the broker
 * need not hear about it. Pure and synchronous: the proxy applies changes (and any linger delay).
 */
export interface SubscriptionBook<C> {
  /** Adds `client` at `mode` (idempotent per client+mode); depth matters for mode 3 only. */
  add(
    client: C,
    ref: InstrumentRef,
    mode: StreamMode,
    depth?: number,
  ): SubscriptionChange | undefined
  /**
   * Removes `client`'s subscription at `mode`, or at every mode when `mode` is omitted
   * (streaming.md §2.3 "unsubscribe without a mode removes the client's subscriptions").
   */
  remove(client: C, ref: InstrumentRef, mode?: StreamMode): SubscriptionChange | undefined
  /** Removes everything of a client (socket closed, unsubscribe_all); one change per affected instrument. */
  removeClient(client: C): SubscriptionChange[]
  /** Clients to deliver a tick of `tickMode` to: each subscription at a mode ≤ `tickMode`. */
  recipients(ref: InstrumentRef, tickMode: StreamMode): Subscriber<C>[]
  /** The broker-side set: every instrument with its effective mode and depth (what a reconnect resubscribes). */
  effective(): { ref: InstrumentRef; mode: StreamMode; depth: number }[]
  /** The effective mode of one instrument, 0 when nobody is subscribed. */
  modeOf(ref: InstrumentRef): StreamMode | 0
  /** Every (instrument, mode) a client holds. */
  subscriptionsOf(client: C): { ref: InstrumentRef; mode: StreamMode; depth: number }[]
  /** instruments with at least one client */
  readonly size: number
}

interface Entry<C> {
  ref: InstrumentRef
  /** index = mode; value = client → requested depth */
  modes: [undefined, Map<C, number>, Map<C, number>, Map<C, number>]
}

const DEFAULT_DEPTH = 5

function effectiveOf<C>(entry: Entry<C> | undefined): { mode: StreamMode | 0; depth: number } {
  if (entry === undefined) return { mode: 0, depth: DEFAULT_DEPTH }
  for (const mode of [3, 2, 1] as const) {
    const clients = entry.modes[mode]
    if (clients.size > 0) {
      let depth = DEFAULT_DEPTH
      if (mode === 3) for (const d of clients.values()) depth = Math.max(depth, d)
      return { mode, depth }
    }
  }
  return { mode: 0, depth: DEFAULT_DEPTH }
}

/** Creates an empty {@link SubscriptionBook}; `C` is whatever identifies a client (a string id, a socket). */
export function createSubscriptionBook<C>(): SubscriptionBook<C> {
  const entries = new Map<string, Entry<C>>()
  const byClient = new Map<C, Set<string>>()

  const diff = (
    key: string,
    ref: InstrumentRef,
    before: { mode: StreamMode | 0; depth: number },
  ): SubscriptionChange | undefined => {
    const entry = entries.get(key)
    const after = effectiveOf(entry)
    if (after.mode === 0) entries.delete(key)
    if (after.mode === before.mode && (after.mode !== 3 || after.depth === before.depth))
      return undefined
    return {
      ref: { symbol: ref.symbol, exchange: ref.exchange },
      from: before.mode,
      to: after.mode,
      depth: after.depth,
    }
  }

  const forget = (client: C, key: string): void => {
    const entry = entries.get(key)
    const still =
      entry !== undefined && [1, 2, 3].some((m) => entry.modes[m as StreamMode].has(client))
    if (!still) {
      const keys = byClient.get(client)
      keys?.delete(key)
      if (keys?.size === 0) byClient.delete(client)
    }
  }

  const book: SubscriptionBook<C> = {
    add(client, ref, mode, depth = DEFAULT_DEPTH) {
      const key = instrumentKey(ref)
      let entry = entries.get(key)
      const before = effectiveOf(entry)
      if (entry === undefined) {
        entry = {
          ref: { symbol: ref.symbol, exchange: ref.exchange },
          modes: [undefined, new Map(), new Map(), new Map()],
        }
        entries.set(key, entry)
      }
      entry.modes[mode].set(client, mode === 3 ? depth : DEFAULT_DEPTH)
      let keys = byClient.get(client)
      if (keys === undefined) {
        keys = new Set()
        byClient.set(client, keys)
      }
      keys.add(key)
      return diff(key, ref, before)
    },
    remove(client, ref, mode) {
      const key = instrumentKey(ref)
      const entry = entries.get(key)
      if (entry === undefined) return undefined
      const before = effectiveOf(entry)
      for (const m of mode === undefined ? ([1, 2, 3] as const) : [mode])
        entry.modes[m].delete(client)
      forget(client, key)
      return diff(key, ref, before)
    },
    removeClient(client) {
      const changes: SubscriptionChange[] = []
      for (const key of [...(byClient.get(client) ?? [])]) {
        const entry = entries.get(key)
        if (entry === undefined) continue
        const change = book.remove(client, entry.ref)
        if (change !== undefined) changes.push(change)
      }
      byClient.delete(client)
      return changes
    },
    recipients(ref, tickMode) {
      const entry = entries.get(instrumentKey(ref))
      if (entry === undefined) return []
      const out: Subscriber<C>[] = []
      for (let mode = 1 as StreamMode; mode <= tickMode; mode = (mode + 1) as StreamMode) {
        for (const [client, depth] of entry.modes[mode]) out.push({ client, mode, depth })
      }
      return out
    },
    effective() {
      const out: { ref: InstrumentRef; mode: StreamMode; depth: number }[] = []
      for (const entry of entries.values()) {
        const { mode, depth } = effectiveOf(entry)
        if (mode !== 0) out.push({ ref: entry.ref, mode, depth })
      }
      return out
    },
    modeOf: (ref) => effectiveOf(entries.get(instrumentKey(ref))).mode,
    subscriptionsOf(client) {
      const out: { ref: InstrumentRef; mode: StreamMode; depth: number }[] = []
      for (const key of byClient.get(client) ?? []) {
        const entry = entries.get(key)
        if (entry === undefined) continue
        for (const mode of [1, 2, 3] as const) {
          const depth = entry.modes[mode].get(client)
          if (depth !== undefined) out.push({ ref: entry.ref, mode, depth })
        }
      }
      return out
    },
    get size() {
      return entries.size
    },
  }
  return book
}
