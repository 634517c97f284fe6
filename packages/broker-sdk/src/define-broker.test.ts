import { describe, expect, it } from 'vitest'
import {
  composeBroker,
  defineBroker,
  parseApiKeyWithFormat,
  parseManifest,
} from './define-broker.js'
import { BrokerError } from './errors.js'
import type { BrokerManifestInput } from './manifest.js'
import type { OrderRequest, OrderRow } from './models.js'
import { ZERO_INR4, fromRupees } from './money.js'
import { err, ok } from './result.js'
import { testContext } from './test-helpers/context.js'
import { createMemoryDriver, position } from './test-helpers/memory-driver.js'

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

describe('the composed broker', () => {
  const row = (
    orderId: string,
    status: OrderRow['status'],
    action: OrderRow['action'] = 'BUY',
  ): OrderRow => ({
    orderId,
    symbol: 'SBIN',
    exchange: 'NSE',
    action,
    quantity: 1,
    price: fromRupees(765.5),
    triggerPrice: ZERO_INR4,
    priceType: 'LIMIT',
    product: 'MIS',
    status,
    rawStatus: status,
    timestamp: '09-Apr-2025 10:15:02',
    symbolResolved: true,
  })

  it('adds order statistics to the order book, counting open but not trigger-pending as open', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    state.orders.push(
      row('1', 'complete'),
      row('2', 'open', 'SELL'),
      row('3', 'trigger_pending'),
      row('4', 'rejected'),
    )
    const book = await composeBroker(manifest, driver, ctx).books.orderBook()
    expect(book.ok && book.value.statistics).toEqual({
      totalBuyOrders: 3,
      totalSellOrders: 1,
      totalCompletedOrders: 1,
      totalOpenOrders: 1,
      totalRejectedOrders: 1,
    })
  })

  it('computes holdings statistics exactly when the broker does not report them', async () => {
    const { ctx, manifest } = testContext()
    const holdings = await composeBroker(
      manifest,
      createMemoryDriver().driver,
      ctx,
    ).books.holdings()
    expect(holdings.ok && holdings.value.statistics).toEqual({
      totalHoldingValue: fromRupees(1768),
      totalInvValue: fromRupees(2001),
      totalProfitAndLoss: fromRupees(-233),
      totalPnlPercentage: -11.64,
    })
  })

  it('cancels every working order by default and reports the ones that failed', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    state.orders.push(row('1', 'complete'), row('2', 'open'), row('3', 'trigger_pending'))
    driver.orders.cancel = async (orderId) =>
      orderId === '3'
        ? err(new BrokerError('rejected', 'order already triggered'))
        : ok({ orderId })
    const outcome = await composeBroker(manifest, driver, ctx).orders.cancelAll()
    expect(outcome).toEqual({
      ok: true,
      value: { cancelled: ['2'], failed: [{ orderId: '3', reason: 'order already triggered' }] },
    })
  })

  it('squares off every open position with a MARKET order in the same product by default', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    state.positions.push(position('SBIN', 10), position('INFY', -5, 'NRML'), position('TCS', 0))
    const result = await composeBroker(manifest, driver, ctx).orders.closeAllPositions()
    expect(result).toEqual({
      ok: true,
      value: { message: 'All Open Positions Squared Off', closed: 2, failed: 0 },
    })
    expect(state.placed).toMatchObject([
      { symbol: 'SBIN', action: 'SELL', quantity: 10, priceType: 'MARKET', product: 'MIS' },
      { symbol: 'INFY', action: 'BUY', quantity: 5, priceType: 'MARKET', product: 'NRML' },
    ])
  })

  it('treats an answer without an order id as a rejection, never a success', async () => {
    const { ctx, manifest } = testContext()
    const { driver } = createMemoryDriver({ orderId: () => '' })
    const result = await composeBroker(manifest, driver, ctx).orders.place(order)
    expect(!result.ok && result.error.code).toBe('rejected')
  })

  it('turns a throwing driver into an unknown error and logs it without secrets', async () => {
    const { ctx, manifest, logger } = testContext()
    const { driver } = createMemoryDriver()
    driver.funds = async () => {
      throw new Error('cannot read eyJhbGciOiJIUzI1.eyJzdWIiOiJ4In0.sig')
    }
    const result = await composeBroker(manifest, driver, ctx).funds()
    expect(!result.ok && result.error.code).toBe('unknown')
    expect(!result.ok && result.error.message).toBe('funds failed unexpectedly')
    expect(logger.lines.some((l) => l.level === 'error' && l.msg === 'broker call threw')).toBe(
      true,
    )
    expect(logger.text()).not.toContain('eyJhbGciOiJIUzI1')
  })

  it('advertises the manifest intervals', () => {
    const { ctx, manifest } = testContext()
    expect(
      composeBroker(manifest, createMemoryDriver().driver, ctx).marketData.intervals(),
    ).toEqual(['1m', 'D'])
  })
})

const order: OrderRequest = {
  strategy: 'test',
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  priceType: 'MARKET',
  product: 'MIS',
  quantity: 1,
  price: ZERO_INR4,
  triggerPrice: ZERO_INR4,
  disclosedQuantity: 0,
}
