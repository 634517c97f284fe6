/**
 * The server's in-process event bus: a tiny typed emitter. Producers (the master-contract
 * pipeline, later order events) publish here; the web app's push channel, the logs and tests
 * subscribe. Listeners run synchronously in subscription order; one that throws is logged and
 * never stops the others or the producer. Nothing crosses the process boundary: the ws-proxy
 * learns about new contracts from `app_meta.symbols_epoch`.
 *
 * Event names (payloads in {@link ServerEvents}); the first two keep the original's Socket.IO
 * names and payload keys (spec platform.md §7.13, frontend-and-features.md §5):
 *
 * | event | when |
 * |---|---|
 * | `master_contract_download` | a download finished: `{status:'success', message:'Successfully Downloaded'}` or `{status:'error', message}` (+ `broker`) |
 * | `cache_loaded` | the symbol cache finished (re)loading: `{status:'success', broker, total_symbols, memory_usage_mb, load_time}` or `{status:'error', broker, message}` |
 * | `master_contract_progress` | during a download (spec platform.md §8.5): `{broker, phase, rows, percent}`, phases `fetching` → `parsing` → `writing` → `indexing` → `done` (or `error`) |
 * | `master_contract_status` | the status row changed (`pending`, `downloading`, `success`, `error`) |
 */

/** One phase of a master-contract download (spec platform.md §8.5). */
export type MasterContractPhase = 'fetching' | 'parsing' | 'writing' | 'indexing' | 'done' | 'error'

/** Payloads by event name. */
export interface ServerEvents {
  master_contract_download: {
    readonly broker: string
    readonly status: 'success' | 'error'
    readonly message: string
  }
  cache_loaded:
    | {
        readonly status: 'success'
        readonly broker: string | null
        readonly total_symbols: number
        /** `"N.NN"` MiB, as the original sends it */
        readonly memory_usage_mb: string
        /** seconds, `"N.NN"` */
        readonly load_time: string
      }
    | { readonly status: 'error'; readonly broker: string | null; readonly message: string }
  master_contract_progress: {
    readonly broker: string
    readonly phase: MasterContractPhase
    /** rows received (fetching, parsing), staged (writing) or loaded (indexing, done) */
    readonly rows: number
    /** broker-side stage name while fetching/parsing (the simulator: the exchange) */
    readonly stage: string | null
    /** 0–100, estimated from the previous contract's size; null when there is none */
    readonly percent: number | null
  }
  master_contract_status: {
    readonly broker: string
    readonly status: 'pending' | 'downloading' | 'success' | 'error'
    readonly message: string
  }
}

export type ServerEventName = keyof ServerEvents

/** A listener of one event. */
export type Listener<E extends ServerEventName> = (payload: ServerEvents[E]) => void

/** Structural logger (pino fits). */
interface BusLogger {
  error(fields: object, msg: string): void
}

export interface EventBus {
  /** subscribes; returns the unsubscriber */
  on<E extends ServerEventName>(event: E, listener: Listener<E>): () => void
  /** delivers to every current listener, synchronously; listener errors are logged */
  emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void
  /** number of listeners of `event` */
  listenerCount(event: ServerEventName): number
}

export function createEventBus(options: { readonly logger?: BusLogger } = {}): EventBus {
  const listeners = new Map<ServerEventName, Set<(payload: never) => void>>()
  return {
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) {
        set = new Set()
        listeners.set(event, set)
      }
      const fn = listener as (payload: never) => void
      set.add(fn)
      return () => void set.delete(fn)
    },
    emit(event, payload) {
      const set = listeners.get(event)
      if (!set) return
      for (const fn of [...set]) {
        try {
          ;(fn as (p: typeof payload) => void)(payload)
        } catch (error) {
          options.logger?.error({ err: error, event }, 'event listener failed')
        }
      }
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
  }
}
