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
 * A copy of a broker facade whose async methods (and those of its facets, one level deep, e.g.
 * `broker.orders.place`) go through {@link timeBroker}. A copy rather than a Proxy: brokers are
 * frozen, and a Proxy may not answer a frozen property with another value.
 */
const INSTRUMENTED = Symbol('oa.instrumentedBroker')

function timed(fn: (...a: unknown[]) => unknown, self: object): (...a: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const trace = storage.getStore()
    if (!trace) return fn.apply(self, args)
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
    )
      out[key] = copyWith(value, depth - 1)
    else out[key] = value
  }
  return out
}

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
  ): { readonly ok: true; readonly broker: object } | { readonly ok: false }
}

/**
 * Makes every broker the registry hands out time its calls into the current request's trace
 * (the latency monitor's broker stage). Idempotent; outside a request the timing is a no-op.
 */
export function instrumentRegistry(registry: BrokerLookupSource): void {
  const lookup = registry.forUser.bind(registry)
  const cache = new WeakMap<object, object>()
  registry.forUser = (username, brokerId) => {
    const found = lookup(username, brokerId)
    if (!found.ok) return found
    let wrapped = cache.get(found.broker)
    if (!wrapped) {
      wrapped = instrumentBroker(found.broker)
      cache.set(found.broker, wrapped)
    }
    return { ...found, broker: wrapped }
  }
}
