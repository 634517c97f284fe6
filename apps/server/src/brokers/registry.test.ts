import type { BrokerPlugin } from '@oa/broker-sdk'
import { createSimulatorPlugin } from '@oa/broker-simulator'
import { createSymbolCache } from '@oa/symbol-cache'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../logger.js'
import { createBrokerRegistry, type StoredSession } from './registry.js'

const sim = createSimulatorPlugin({ seed: 1 })
// a broker that needs a daily login, as every real broker does
const acme: BrokerPlugin = {
  ...sim,
  manifest: { ...sim.manifest, id: 'acme', auth: 'oauth-redirect' },
}

function registry(sessions: Map<string, StoredSession>) {
  const cache = createSymbolCache({ clock: { now: () => 0 } })
  cache.loadSync([
    {
      symbol: 'SBIN',
      brSymbol: 'SBIN-EQ',
      name: 'STATE BANK',
      exchange: 'NSE',
      brExchange: 'NSE_EQ',
      token: '42',
      expiry: null,
      strike: null,
      lotSize: 1,
      instrumentType: 'EQ',
      tickSize: 0.05,
      contractValue: null,
    },
  ])
  return createBrokerRegistry({
    plugins: [sim, acme],
    config: {
      broker: {
        apiKey: 'k',
        apiSecret: 's',
        apiKeyMarket: '',
        apiSecretMarket: '',
      } as never,
    },
    clock: { now: () => Date.parse('2025-04-17T10:00:00+05:30') },
    logger: createLogger({ level: 'silent', pretty: false }),
    symbols: cache,
    sessionOf: (u) => sessions.get(u) ?? null,
  })
}

const session = (broker: string, authToken: string): StoredSession => ({
  broker,
  authToken,
  feedToken: null,
  brokerUserId: null,
})

describe('broker registry', () => {
  it('keeps one instance per user while the token stays, and rebuilds it when the token changes', () => {
    const sessions = new Map([['admin', session('acme', 'token-1')]])
    const r = registry(sessions)
    const first = r.forUser('admin', 'acme')
    const again = r.forUser('admin', 'acme')
    expect(first.ok && again.ok && first.broker === again.broker).toBe(true)
    sessions.set('admin', session('acme', 'token-2'))
    const renewed = r.forUser('admin', 'acme')
    expect(renewed.ok && first.ok && renewed.broker !== first.broker).toBe(true)
    expect(r.size).toBe(1)
  })

  it('drops the instance when the session goes (logout, daily boundary)', () => {
    const sessions = new Map([['admin', session('acme', 'token-1')]])
    const r = registry(sessions)
    expect(r.forUser('admin', 'acme').ok).toBe(true)
    sessions.delete('admin')
    expect(r.forUser('admin', 'acme')).toEqual({
      ok: false,
      error: 'broker_session_missing',
      message: 'Invalid openalgo apikey',
    })
    expect(r.size).toBe(0)
  })

  it('serves the simulator without any session, and refuses an unregistered broker', async () => {
    const r = registry(new Map())
    const lookup = r.forUser('admin', 'simulator')
    expect(lookup.ok).toBe(true)
    if (lookup.ok) {
      const quote = await lookup.broker.marketData.quote({ symbol: 'SBIN', exchange: 'NSE' })
      expect(quote.ok).toBe(true)
    }
    expect(r.isSessionless('simulator')).toBe(true)
    expect(r.isSessionless('acme')).toBe(false)
    expect(r.forUser('admin', 'zerodha')).toEqual({
      ok: false,
      error: 'broker_module_not_found',
      message: 'Broker-specific module not found',
    })
    expect(r.forBackground('acme').ok).toBe(false)
    expect(r.forBackground('simulator').ok).toBe(true)
  })
})
