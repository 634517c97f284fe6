import { describe, expect, it } from 'vitest'
import { connect, connectAs, startTestProxy, type Frame } from './test-helpers/harness.js'

const isData = (symbol: string, mode?: number) => (f: Frame) =>
  f['type'] === 'market_data' &&
  f['symbol'] === symbol &&
  (mode === undefined || f['mode'] === mode)

describe('the client protocol over a real socket (simulator feed)', () => {
  it('streams LTP, Quote and Depth frames with the shapes of streaming.md §1.6', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'k'.repeat(64))
    const client = await connectAs(proxy.url, 'k'.repeat(64))
    client.send({
      action: 'subscribe',
      symbols: [{ symbol: 'SBIN', exchange: 'NSE' }],
      mode: 'ltp',
      request_id: 'a',
    })
    client.send({ action: 'subscribe', symbol: 'RELIANCE', exchange: 'NSE', mode: 'QUOTE' })
    client.send({
      action: 'subscribe',
      instruments: [{ symbol: 'INFY', exchange: 'NSE' }],
      mode: 3,
      depth_level: 5,
    })
    const acks = [
      await client.next((f) => f['type'] === 'subscribe'),
      await client.next((f) => f['type'] === 'subscribe'),
      await client.next((f) => f['type'] === 'subscribe'),
    ]
    expect(acks.map((a) => (a['subscriptions'] as Frame[])[0]?.['mode'])).toEqual([
      'LTP',
      'Quote',
      'Depth',
    ])
    expect(acks[0]).toMatchObject({ status: 'success', request_id: 'a', broker: 'simulator' })

    const ltp = await client.next(isData('SBIN'))
    expect(ltp).toMatchObject({ exchange: 'NSE', mode: 1, broker: 'simulator' })
    expect(Object.keys(ltp['data'] as Frame).sort()).toEqual(
      ['exchange', 'ltp', 'ltt', 'mode', 'symbol', 'timestamp'].sort(),
    )
    const quote = (await client.next(isData('RELIANCE')))['data'] as Frame
    for (const k of [
      'open',
      'high',
      'low',
      'close',
      'volume',
      'average_price',
      'total_buy_quantity',
    ])
      expect(quote).toHaveProperty(k)
    expect(quote).not.toHaveProperty('depth')
    const depth = (await client.next(isData('INFY', 3)))['data'] as {
      depth: { buy: unknown[]; sell: unknown[] }
    }
    expect(depth.depth.buy).toHaveLength(5)
    expect(depth.depth.sell[0]).toMatchObject({
      price: expect.any(Number),
      quantity: expect.any(Number),
      orders: expect.any(Number),
    })
  })

  it('numbers every frame of a connection with a growing seq', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const client = await connectAs(proxy.url, 'key-1')
    client.send({ action: 'subscribe', symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 1 })
    await client.next(isData('SBIN'))
    await client.next(isData('SBIN'))
    const seqs = client.frames.map((f) => f['seq'] as number)
    expect(seqs[0]).toBe(1)
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!)
  })

  it('gives a client exactly its mode when others watch the same symbol at other modes', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const ltp = await connectAs(proxy.url, 'key-1')
    const depth = await connectAs(proxy.url, 'key-1')
    depth.send({
      action: 'subscribe',
      symbols: [{ symbol: 'SBIN', exchange: 'NSE' }],
      mode: 'Depth',
    })
    await depth.next((f) => f['type'] === 'subscribe')
    ltp.send({ action: 'subscribe', symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 'LTP' })
    await ltp.next((f) => f['type'] === 'subscribe')
    for (let i = 0; i < 4; i++) {
      const f = await ltp.next(isData('SBIN'))
      expect(f['mode']).toBe(1)
      expect(f['data']).not.toHaveProperty('depth')
    }
    // one frame per tick (the reference sent an LTP client 2-3 frames per tick, some with depth)
    const ts = ltp.frames.filter(isData('SBIN')).map((f) => (f['data'] as Frame)['timestamp'])
    expect(new Set(ts).size).toBe(ts.length)
    const d = await depth.next(isData('SBIN'))
    expect(d['mode']).toBe(3)
  })

  it('unsubscribes every mode of an instrument when the entry names no mode', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const client = await connectAs(proxy.url, 'key-1')
    client.send({ action: 'subscribe', symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 1 })
    client.send({ action: 'subscribe', symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 3 })
    await client.next((f) => f['type'] === 'subscribe')
    await client.next((f) => f['type'] === 'subscribe')
    client.send({ action: 'unsubscribe', symbols: [{ symbol: 'SBIN', exchange: 'NSE' }] })
    const answer = await client.next((f) => f['type'] === 'unsubscribe')
    expect(answer).toMatchObject({ status: 'success', failed: [] })
    const feed = proxy.server.feeds()[0]!
    await new Promise((r) => setTimeout(r, 50))
    expect(feed.stats().instruments).toBe(0)
    // the broker was told (lingerMs is 0 in tests)
    expect(feed.adapters()[0]!.subscriptions().size).toBe(0)
  })

  it('answers per symbol: unknown symbols and incomplete entries fail with a code', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const client = await connectAs(proxy.url, 'key-1')
    client.send({
      action: 'subscribe',
      symbols: [
        { symbol: 'SBIN', exchange: 'NSE' },
        { symbol: 'NOSUCH', exchange: 'NSE' },
        { symbol: 'X' },
      ],
      mode: 2,
      request_id: 7,
    })
    const answer = await client.next((f) => f['type'] === 'subscribe')
    expect(answer).toMatchObject({ status: 'partial', request_id: 7 })
    expect(answer['subscriptions']).toEqual([
      {
        symbol: 'SBIN',
        exchange: 'NSE',
        status: 'success',
        mode: 'Quote',
        depth: 5,
        broker: 'simulator',
      },
      {
        symbol: 'NOSUCH',
        exchange: 'NSE',
        status: 'error',
        message: 'Symbol NOSUCH not found for exchange NSE',
        code: 'SYMBOL_NOT_FOUND',
        broker: 'simulator',
      },
      {
        symbol: 'X',
        exchange: null,
        status: 'error',
        message: 'each entry needs a non-empty "symbol" and "exchange"',
        code: 'INVALID_PARAMETERS',
        broker: 'simulator',
      },
    ])
    client.send({ action: 'subscribe', symbols: [{ symbol: 'NOSUCH', exchange: 'NSE' }] })
    expect(await client.next((f) => f['type'] === 'subscribe')).toMatchObject({ status: 'error' })
  })

  it('answers broker info, supported brokers and pings, before and after authentication', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const client = await connect(proxy.url)
    client.send({ action: 'get_supported_brokers' })
    expect(await client.next()).toMatchObject({
      type: 'supported_brokers',
      brokers: ['angel', 'dhan', 'simulator', 'zerodha'],
      count: 4,
    })
    client.send({ action: 'ping', timestamp: 5, _pingId: 'x' })
    expect(await client.next()).toMatchObject({ type: 'pong', client_timestamp: 5, _pingId: 'x' })
    client.send({ action: 'get_broker_info' })
    expect(await client.next()).toMatchObject({ status: 'error', code: 'NOT_AUTHENTICATED' })
    client.send({ type: 'auth', apikey: 'key-1' })
    await client.next((f) => f['type'] === 'auth')
    client.send({ action: 'get_broker_info' })
    expect(await client.next()).toMatchObject({
      type: 'broker_info',
      broker: 'simulator',
      adapter_status: 'connected',
      user_id: 'admin',
    })
  })
})
