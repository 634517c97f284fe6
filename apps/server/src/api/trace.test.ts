import { describe, expect, it } from 'vitest'
import { instrumentRegistry, newTrace, type BrokerLookupSource } from './trace.js'

/** A frozen facade shaped like a broker: methods on the top level and on a facet. */
function fakeBroker() {
  const calls: string[] = []
  const broker = Object.freeze({
    manifest: Object.freeze({ id: 'fake' }),
    quote: async (symbol: string) => {
      calls.push(`quote ${symbol}`)
      await new Promise((r) => setTimeout(r, 5))
      return symbol.length
    },
    fail: () => {
      calls.push('fail')
      throw new Error('down')
    },
    orders: Object.freeze({
      place: (qty: number) => {
        calls.push(`place ${qty}`)
        return Promise.resolve(qty * 2)
      },
    }),
  })
  return { broker, calls }
}

function registryOf(broker: object): BrokerLookupSource {
  const registry: BrokerLookupSource = {
    forUser: (username) => (username === 'nobody' ? { ok: false } : { ok: true, broker }),
  }
  instrumentRegistry(registry)
  return registry
}

type Fake = ReturnType<typeof fakeBroker>['broker']

describe('instrumentRegistry', () => {
  it('adds the time and count of each broker call to the trace the lookup was given', async () => {
    const { broker, calls } = fakeBroker()
    const registry = registryOf(broker)
    const trace = newTrace()
    const found = registry.forUser('alice', null, trace)
    if (!found.ok) throw new Error('lookup failed')
    const b = found.broker as Fake
    expect(await b.quote('SBIN')).toBe(4)
    expect(await b.orders.place(5)).toBe(10)
    expect(() => b.fail()).toThrow('down')
    expect(calls).toEqual(['quote SBIN', 'place 5', 'fail'])
    expect(trace.brokerCalls).toBe(3)
    // the quote waited ~5 ms on a timer
    expect(trace.brokerMs).toBeGreaterThanOrEqual(4)
    expect(b.manifest).toBe(broker.manifest)
  })

  it('keeps concurrent requests apart: each trace gets only its own calls', async () => {
    const { broker } = fakeBroker()
    const registry = registryOf(broker)
    const t1 = newTrace()
    const t2 = newTrace()
    const l1 = registry.forUser('alice', null, t1)
    const l2 = registry.forUser('alice', null, t2)
    if (!l1.ok || !l2.ok) throw new Error('lookup failed')
    const b1 = l1.broker as Fake
    const b2 = l2.broker as Fake
    await Promise.all([b1.quote('A'), b2.quote('B'), b2.orders.place(1), b2.quote('C')])
    expect(t1.brokerCalls).toBe(1)
    expect(t2.brokerCalls).toBe(3)
  })

  it('times nothing for a lookup without a trace, and passes failures through', async () => {
    const { broker } = fakeBroker()
    const registry = registryOf(broker)
    const found = registry.forUser('alice', null)
    if (!found.ok) throw new Error('lookup failed')
    const b = found.broker as Fake
    expect(await b.quote('X')).toBe(1)
    expect(await b.orders.place(2)).toBe(4)
    // the same instrumented copy each time, and the original stays untouched
    expect(registry.forUser('alice', null)).toMatchObject({ broker: b })
    expect(Object.isFrozen(broker)).toBe(true)
    expect(registry.forUser('nobody', null, newTrace())).toEqual({ ok: false })
  })

  it('is idempotent: instrumenting twice counts each call once', async () => {
    const { broker } = fakeBroker()
    const registry = registryOf(broker)
    instrumentRegistry(registry)
    const trace = newTrace()
    const found = registry.forUser('alice', null, trace)
    if (!found.ok) throw new Error('lookup failed')
    await (found.broker as Fake).quote('Y')
    expect(trace.brokerCalls).toBe(1)
  })
})
