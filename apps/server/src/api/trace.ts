/**
 * Per-request timing for the latency monitor (spec platform.md §7.9, W-29): the stages the
 * endpoint wrapper measures (parse, auth, validate, handler, serialise) and the broker calls a
 * handler makes on the way, summed, however deep in the services they happen.
 *
 * The broker time travels with the caller: the endpoint wrapper puts the request's trace on the
 * `caller` it hands the handler, services pass `caller.trace` to the registry's `forUser`, and
 * the instrumented registry answers with a view of the broker whose calls add to that trace.
 * Not AsyncLocalStorage: while one is in use, Node 20 runs hooks on every promise the process
 * makes; in a CPU profile of `/api/v1/quotes` under wrk they were ~6% of the main thread.
 */
import { performance } from 'node:perf_hooks'
import type { BrokerTiming } from '../services/reply.js'

/** Timings of one `/api/v1` request, in ms (floats). */
export interface RequestTrace {
  parseMs: number
  authMs: number
  validateMs: number
  handlerMs: number
  serialiseMs: number
  /** summed time inside broker calls during the handler */
  brokerMs: number
  brokerCalls: number
}

export function newTrace(): RequestTrace {
  return {
    parseMs: 0,
    authMs: 0,
    validateMs: 0,
    handlerMs: 0,
    serialiseMs: 0,
    brokerMs: 0,
    brokerCalls: 0,
  }
}

/** Where a traced view of a broker keeps its request's trace. */
const TRACE = Symbol('oa.brokerTrace')
const INSTRUMENTED = Symbol('oa.instrumentedBroker')

interface TracedView {
  readonly [TRACE]?: BrokerTiming
}

/** `fn` timed into the trace of the view it is called on (untimed when called on none). */
function timed(fn: (...a: unknown[]) => unknown, self: object): (...a: unknown[]) => unknown {
  return function (this: TracedView | undefined, ...args: unknown[]): unknown {
    const trace = this?.[TRACE]
    if (trace === undefined) return fn.apply(self, args)
    // from before the call: a broker may do its work synchronously before returning a promise
    const t0 = performance.now()
    const record = (): void => {
      trace.brokerMs += performance.now() - t0
      trace.brokerCalls += 1
    }
    let result: unknown
    try {
      result = fn.apply(self, args)
    } catch (error) {
      record()
      throw error
    }
    if (result instanceof Promise) return result.finally(record)
    record()
    return result
  }
}

/**
 * A copy of a broker facade (or facet) whose methods are timed, made once per broker. Brokers are
 * frozen, so a copy rather than a Proxy. A facet (e.g. `broker.orders`, one level deep) is a getter
 * that hands a traced view the facet's own traced view, so `view.orders.place(...)` is timed too.
 */
function copyWith(source: object, depth: number): object {
  const out: Record<PropertyKey, unknown> = Object.create(
    Object.getPrototypeOf(source) as object | null,
  ) as Record<PropertyKey, unknown>
  for (const key of Reflect.ownKeys(source)) {
    const value: unknown = (source as Record<PropertyKey, unknown>)[key]
    if (typeof value === 'function') out[key] = timed(value as (...a: unknown[]) => unknown, source)
    else if (
      depth > 0 &&
      key !== 'manifest' &&
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value)
    ) {
      const facet = copyWith(value, depth - 1)
      Object.defineProperty(out, key, {
        enumerable: true,
        get(this: TracedView): object {
          const trace = this[TRACE]
          return trace === undefined ? facet : viewOf(facet, trace)
        },
      })
    } else out[key] = value
  }
  return out
}

function viewOf<B extends object>(instrumented: B, trace: BrokerTiming): B {
  const view = Object.create(instrumented) as B & { [TRACE]: BrokerTiming }
  view[TRACE] = trace
  return view
}

/** The broker's instrumented copy: its calls are timed when made through {@link tracedBroker}. */
export function instrumentBroker<B extends object>(broker: B): B {
  if ((broker as Record<symbol, unknown>)[INSTRUMENTED] === true) return broker
  const out = copyWith(broker, 1) as Record<symbol, unknown>
  out[INSTRUMENTED] = true
  return Object.freeze(out) as B
}

/** A broker registry's per-user lookup (`BrokerRegistry.forUser` fits). */
export interface BrokerLookupSource {
  forUser(
    username: string,
    brokerId: string | null,
    trace?: BrokerTiming,
  ): { readonly ok: true; readonly broker: object } | { readonly ok: false }
}

/**
 * Makes the registry's `forUser` time broker calls into the trace it is given (the latency
 * monitor's broker stage): with a trace, it answers a view of the broker that adds each call's time
 * to it; without one, the broker's instrumented copy, untimed. Idempotent.
 */
export function instrumentRegistry(registry: BrokerLookupSource): void {
  const lookup = registry.forUser.bind(registry)
  const cache = new WeakMap<object, object>()
  registry.forUser = (username, brokerId, trace) => {
    const found = lookup(username, brokerId)
    if (!found.ok) return found
    let wrapped = cache.get(found.broker)
    if (!wrapped) {
      wrapped = instrumentBroker(found.broker)
      cache.set(found.broker, wrapped)
    }
    return { ...found, broker: trace === undefined ? wrapped : viewOf(wrapped, trace) }
  }
}
