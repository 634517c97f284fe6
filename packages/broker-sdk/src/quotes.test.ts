import { describe, expect, it } from 'vitest'
import { composeBroker } from './define-broker.js'
import { BrokerError } from './errors.js'
import { instrumentKey } from './models.js'
import type { InstrumentRef } from './models.js'
import { err, ok } from './result.js'
import { testContext } from './test-helpers/context.js'
import { createMemoryDriver, quoteOf } from './test-helpers/memory-driver.js'
import { toBatches } from './quotes.js'

const refs: InstrumentRef[] = ['SBIN', 'INFY', 'TCS', 'RELIANCE', 'HDFCBANK'].map((symbol) => ({
  symbol,
  exchange: 'NSE',
}))

function seeded(batch?: Parameters<typeof createMemoryDriver>[0]) {
  const { ctx, manifest } = testContext()
  const { driver, state } = createMemoryDriver(batch)
  refs.forEach((ref, i) => state.quotes.set(instrumentKey(ref), quoteOf(String(100 + i))))
  return { broker: composeBroker(manifest, driver, ctx), state }
}

describe('multiquotes', () => {
  it('splits resolved instruments into batches of quoteBatchSize', async () => {
    const { broker, state } = seeded({
      batch: async (batch) => ok(batch.map((ref) => ({ ref, quote: quoteOf('1') }))),
    })
    const items = await broker.marketData.quotes(refs)
    expect(state.batchCalls.map((b) => b.map((r) => r.symbol))).toEqual([
      ['SBIN', 'INFY'],
      ['TCS', 'RELIANCE'],
      ['HDFCBANK'],
    ])
    expect(items.map((i) => i.symbol)).toEqual(['SBIN', 'INFY', 'TCS', 'RELIANCE', 'HDFCBANK'])
    expect(state.singleQuoteCalls).toEqual([])
  })

  it('lists symbols missing from the master contract first, with the reference message', async () => {
    const { broker } = seeded()
    const items = await broker.marketData.quotes([refs[0]!, { symbol: 'NOSUCH', exchange: 'NSE' }])
    expect(items[0]).toEqual({
      symbol: 'NOSUCH',
      exchange: 'NSE',
      code: 'symbol_not_found',
      error:
        "Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded.",
    })
    expect(items[1]).toMatchObject({ symbol: 'SBIN', data: { ltp: 1_000_000 } })
  })

  it('falls back to one-by-one quotes when a whole batch fails', async () => {
    let call = 0
    const { broker, state } = seeded({
      batch: async (batch) => {
        call += 1
        return call === 2
          ? err(new BrokerError('broker_down', 'batch endpoint down'))
          : ok(batch.map((ref) => ({ ref, quote: quoteOf('1') })))
      },
    })
    const items = await broker.marketData.quotes(refs)
    expect(state.singleQuoteCalls.map((r) => r.symbol)).toEqual(['TCS', 'RELIANCE'])
    expect(items.every((i) => 'data' in i)).toBe(true)
  })

  it('fetches singly what a batch answer leaves out, and keeps per-item errors', async () => {
    const { broker, state } = seeded({
      batch: async (batch) =>
        ok(
          batch[0]?.symbol === 'SBIN'
            ? [{ ref: batch[0], error: new BrokerError('rejected', 'no permission for SBIN') }]
            : batch.map((ref) => ({ ref, quote: quoteOf('1') })),
        ),
    })
    const items = await broker.marketData.quotes(refs)
    expect(items[0]).toEqual({
      symbol: 'SBIN',
      exchange: 'NSE',
      error: 'no permission for SBIN',
      code: 'rejected',
    })
    expect(state.singleQuoteCalls.map((r) => r.symbol)).toEqual(['INFY'])
  })

  it('asks once for a duplicated instrument and answers each occurrence', async () => {
    const { broker, state } = seeded()
    const items = await broker.marketData.quotes([refs[0]!, refs[0]!])
    expect(items).toHaveLength(2)
    expect(state.singleQuoteCalls).toHaveLength(1)
  })

  it('survives a batch function that throws', async () => {
    const { broker } = seeded({
      batch: async () => {
        throw new Error('bug')
      },
    })
    const items = await broker.marketData.quotes(refs.slice(0, 2))
    expect(items.every((i) => 'data' in i)).toBe(true)
  })

  it('refuses a zero batch size', () => {
    expect(() => toBatches([1], 0)).toThrow()
    expect(toBatches([1, 2, 3], 2)).toEqual([[1, 2], [3]])
  })
})
