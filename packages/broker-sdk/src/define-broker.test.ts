import { describe, expect, it } from 'vitest'
import { defineBroker, parseApiKeyWithFormat, parseManifest } from './define-broker.js'
import type { BrokerManifestInput } from './manifest.js'

const manifest: BrokerManifestInput = {
  id: 'acme',
  displayName: 'Acme Securities',
  version: '0.1.0',
  brokerType: 'IN_stock',
  supportedExchanges: ['NSE', 'NFO', 'NSE_INDEX'],
  leverageConfig: false,
  apiKeyFormat: { parts: ['clientId', 'apiKey'], example: 'C123:::k-abc' },
  auth: 'oauth-redirect',
  endpoints: { api: 'https://api.acme.example', ws: 'wss://ws.acme.example/feed' },
  intervals: ['1m', '5m', 'D'],
  historyChunkDays: { '1m': 60, D: 2000 },
  quoteBatchSize: 50,
  streaming: { maxSymbolsPerConnection: 1000, maxConnections: 3, subscribeBatchSize: 100 },
}

describe('manifest', () => {
  it('applies defaults to a valid manifest', () => {
    const parsed = parseManifest(manifest)
    expect(parsed.rateLimits).toEqual({})
    expect(parsed.historyMaxCandles).toBe(300_000)
    expect(parsed.streaming?.reconnect).toEqual({
      baseMs: 2000,
      capMs: 60_000,
      maxAttempts: 10,
      healthyResetMs: 60_000,
    })
    expect(parsed.apiKeyFormat.separator).toBe(':::')
  })

  it('refuses an id with capitals and a chunk size for an unadvertised interval', () => {
    expect(() => parseManifest({ ...manifest, id: 'Acme' })).toThrow(/id must be lowercase/)
    expect(() => parseManifest({ ...manifest, historyChunkDays: { '3m': 10 } })).toThrow(
      /historyChunkDays has 3m/,
    )
  })

  it('refuses an unknown exchange', () => {
    expect(() => parseManifest({ ...manifest, supportedExchanges: ['NASDAQ'] })).toThrow(
      /supportedExchanges/,
    )
  })
})

describe('api key format', () => {
  const format = parseManifest(manifest).apiKeyFormat

  it('round-trips the documented example', () => {
    const parsed = parseApiKeyWithFormat(format, format.example)
    expect(parsed).toEqual({ ok: true, value: { clientId: 'C123', apiKey: 'k-abc' } })
  })

  it('rejects a key with the wrong number of separators', () => {
    const parsed = parseApiKeyWithFormat(format, 'C123:::k:::extra')
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('invalid_input')
      expect(parsed.error.message).toContain('clientId:::apiKey')
    }
  })

  it('is the plugin default when the broker does not bring its own parser', () => {
    const plugin = defineBroker({
      manifest,
      createBroker: () => {
        throw new Error('unused')
      },
    })
    expect(plugin.parseApiKey('a:::b').ok).toBe(true)
    expect(plugin.parseApiKey('ab').ok).toBe(false)
  })
})
