/**
 * Per-request timing for the latency monitor (spec platform.md §7.9, W-29): the stages the
 * endpoint wrapper measures (parse, auth, validate, handler, serialise) and the broker calls a
 * handler makes on the way, summed, however deep in the services they happen. The broker time
 * reaches the request through AsyncLocalStorage, so services and brokers stay unaware of it.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { performance } from 'node:perf_hooks'

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

const storage = new AsyncLocalStorage<RequestTrace>()

/** Runs `fn` with `trace` as the current request's trace. */
export function runWithTrace<T>(trace: RequestTrace, fn: () => T): T {
  return storage.run(trace, fn)
}

/** Times one broker call and adds it to the current request's trace (if any). */
export async function timeBroker<T>(call: () => Promise<T>): Promise<T> {
  const trace = storage.getStore()
  if (!trace) return call()
  const t0 = performance.now()
  try {
    return await call()
  } finally {
    trace.brokerMs += performance.now() - t0
    trace.brokerCalls += 1
  }
}

/**
 * Wraps every async method of a broker facade (and of its nested facets, one level deep, e.g.
 * `broker.orders.place`) with {@link timeBroker}. Non-function members pass through.
 */
export function instrumentBroker<B extends object>(broker: B): B {
  const wrap = (facet: object): object =>
    new Proxy(facet, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args)
          return result instanceof Promise ? timeBroker(() => result) : result
        }
      },
    })
  const cache = new Map<PropertyKey, object>()
  return new Proxy(broker, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver)
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args)
          return result instanceof Promise ? timeBroker(() => result) : result
        }
      }
      if (typeof value === 'object' && value !== null && key !== 'manifest') {
        let wrapped = cache.get(key)
        if (!wrapped) {
          wrapped = wrap(value)
          cache.set(key, wrapped)
        }
        return wrapped
      }
      return value
    },
  })
}
