import { describe, expect, it } from 'vitest'
import { connect, connectAs, simulatorRows, startTestProxy } from './test-helpers/harness.js'

describe('malformed input never crashes the proxy', () => {
  it('answers garbage with error frames and keeps the connection open', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const client = await connectAs(proxy.url, 'key-1')
    const cases: [string | Buffer, boolean, Record<string, unknown>][] = [
      [Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x13]), true, { code: 'INVALID_JSON' }],
      [
        '{"action": "subscribe", ',
        false,
        { code: 'INVALID_JSON', message: 'Invalid JSON message' },
      ],
      ['[1,2,3]', false, { code: 'INVALID_PARAMETERS' }],
      ['"hello"', false, { code: 'INVALID_PARAMETERS' }],
      ['{"action":"fly"}', false, { code: 'INVALID_ACTION', message: 'Invalid action: fly' }],
      ['{"symbols":[]}', false, { code: 'INVALID_ACTION', message: 'Invalid action: None' }],
      [
        '{"action":"subscribe","symbol":"SBIN","exchange":"NSE","mode":true}',
        false,
        { code: 'INVALID_MODE', message: 'Mode must be int or str, got bool' },
      ],
      [
        '{"action":"subscribe","symbol":"SBIN","exchange":"NSE","mode":4}',
        false,
        {
          code: 'INVALID_MODE',
          message: 'Invalid mode 4; expected 1 (LTP), 2 (Quote), or 3 (Depth)',
        },
      ],
      ['{"action":"subscribe","symbols":"SBIN"}', false, { code: 'INVALID_PARAMETERS' }],
      ['{"action":"subscribe","symbols":[]}', false, { code: 'INVALID_PARAMETERS' }],
      [
        '{"action":"subscribe","symbol":"SBIN","exchange":"NSE","depth":"deep"}',
        false,
        { code: 'INVALID_PARAMETERS' },
      ],
      ['{"action":"unsubscribe"}', false, { code: 'INVALID_PARAMETERS' }],
      ['{"action":"subscribe_orders","after_seq":-1}', false, { code: 'INVALID_PARAMETERS' }],
    ]
    for (const [data, binary, expected] of cases) {
      client.sendRaw(data, binary)
      expect(await client.next()).toMatchObject({ status: 'error', type: 'error', ...expected })
    }
    // a binary frame holding JSON is a message, as the reference's json.loads(bytes) made it
    client.sendRaw(Buffer.from('{"action":"ping","_pingId":9}'), true)
    expect(await client.next()).toMatchObject({ type: 'pong', _pingId: 9 })
    expect(proxy.server.metrics.badFrames).toBe(cases.length)
  })

  it('refuses 10,000 symbols in one subscribe with TOO_MANY_SYMBOLS and subscribes nothing', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const client = await connectAs(proxy.url, 'key-1')
    const rows = simulatorRows()
    const symbols = Array.from({ length: 10_000 }, (_, i) => {
      const r = rows[i % rows.length]!
      return { symbol: r.symbol, exchange: r.exchange }
    })
    const text = JSON.stringify({ action: 'subscribe', symbols, mode: 1 })
    expect(text.length).toBeLessThan(512 * 1024)
    client.sendRaw(text)
    expect(await client.next()).toMatchObject({ status: 'error', code: 'TOO_MANY_SYMBOLS' })
    expect(proxy.server.feeds()[0]!.stats().instruments).toBe(0)
    client.send({ action: 'ping' })
    expect(await client.next()).toMatchObject({ type: 'pong' })
  })

  it('answers a subscribe checked in slices line for line, in the order it named them', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const client = await connectAs(proxy.url, 'key-1')
    const nse = simulatorRows().filter((r) => r.exchange === 'NSE')
    // 300 instruments: three slices of the lookup loop, with unknown ones in each
    const unknown = new Set([5, 130, 299])
    const symbols = Array.from({ length: 300 }, (_, i) =>
      unknown.has(i)
        ? { symbol: `NOSUCH${i}`, exchange: 'NSE' }
        : { symbol: nse[i]!.symbol, exchange: 'NSE' },
    )
    client.send({ action: 'subscribe', symbols, mode: 1 })
    const answer = await client.next((f) => f['type'] === 'subscribe')
    const lines = answer['subscriptions'] as Record<string, unknown>[]
    expect(lines.map((l) => l['symbol'])).toEqual(symbols.map((s) => s.symbol))
    lines.forEach((l, i) => expect(l['status']).toBe(unknown.has(i) ? 'error' : 'success'))
    expect(lines[130]).toMatchObject({ code: 'SYMBOL_NOT_FOUND' })
    expect(proxy.server.feeds()[0]!.stats().instruments).toBe(297)
  })

  it('caps the subscriptions one client may hold', async () => {
    const proxy = await startTestProxy({ limits: { maxSubscriptionsPerClient: 3 } })
    proxy.identity.issue('admin', 'key-1')
    const client = await connectAs(proxy.url, 'key-1')
    const nse = simulatorRows()
      .filter((r) => r.exchange === 'NSE')
      .slice(0, 5)
    client.send({
      action: 'subscribe',
      symbols: nse.map((r) => ({ symbol: r.symbol, exchange: 'NSE' })),
      mode: 1,
    })
    const answer = await client.next((f) => f['type'] === 'subscribe')
    const lines = answer['subscriptions'] as Record<string, unknown>[]
    expect(lines.map((l) => l['status'])).toEqual([
      'success',
      'success',
      'success',
      'error',
      'error',
    ])
    expect(lines[3]).toMatchObject({ code: 'MAX_CLIENT_SUBSCRIPTIONS' })
    expect(answer['status']).toBe('partial')
  })

  it('closes a 1 MB message with 1009 and keeps serving other clients', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'key-1')
    const big = await connect(proxy.url)
    big.sendRaw(`{"action":"ping","pad":"${'x'.repeat(1_000_000)}"}`)
    expect((await big.closed).code).toBe(1009)
    const other = await connect(proxy.url)
    other.send({ action: 'ping' })
    expect(await other.next()).toMatchObject({ type: 'pong' })
  })

  it('closes a text frame that is not UTF-8 with 1007', async () => {
    const proxy = await startTestProxy()
    const client = await connect(proxy.url)
    client.ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { binary: false })
    expect((await client.closed).code).toBe(1007)
  })
})

describe('authentication', () => {
  it('closes a client with a wrong key with 4401 after an AUTHENTICATION_ERROR frame', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'right')
    const client = await connect(proxy.url)
    client.send({ action: 'authenticate', api_key: 'wrong' })
    expect(await client.next()).toMatchObject({
      status: 'error',
      code: 'AUTHENTICATION_ERROR',
      message: 'Invalid API key',
    })
    expect(await client.closed).toEqual({ code: 4401, reason: 'authentication failed' })
    expect(proxy.server.metrics.authFailures).toBe(1)
  })

  it('closes a client that sends no key, or none in time, with 4401', async () => {
    const proxy = await startTestProxy({ limits: { authGraceMs: 300 } })
    const noKey = await connect(proxy.url)
    noKey.send({ action: 'authenticate' })
    expect(await noKey.next()).toMatchObject({ message: 'API key is required' })
    expect((await noKey.closed).code).toBe(4401)
    const idle = await connect(proxy.url)
    const started = Date.now()
    expect(await idle.closed).toEqual({ code: 4401, reason: 'auth timeout' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
  })

  it('refuses an address after five failures without checking its keys (W-8)', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'right')
    for (let i = 0; i < 5; i++) {
      const c = await connect(proxy.url)
      c.send({ action: 'authenticate', api_key: `guess-${i}` })
      expect((await c.closed).code).toBe(4401)
    }
    const checked = proxy.identity.verified.length
    const blocked = await connect(proxy.url)
    blocked.send({ action: 'authenticate', api_key: 'right' })
    expect(await blocked.next()).toMatchObject({ code: 'RATE_LIMITED' })
    expect((await blocked.closed).code).toBe(4429)
    expect(proxy.identity.verified.length).toBe(checked)
  })

  it('closes the sockets of a deleted key at once, and only those', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'old-key')
    proxy.identity.issue('bob', 'bob-key')
    const a1 = await connectAs(proxy.url, 'old-key')
    const a2 = await connectAs(proxy.url, 'old-key')
    const bob = await connectAs(proxy.url, 'bob-key')
    proxy.identity.revoke('old-key')
    for (const c of [a1, a2]) {
      expect(await c.next()).toMatchObject({ code: 'AUTHENTICATION_ERROR' })
      expect(await c.closed).toEqual({ code: 4401, reason: 'api key revoked' })
    }
    bob.send({ action: 'ping' })
    expect(await bob.next()).toMatchObject({ type: 'pong' })
    expect(proxy.server.metrics.keyRevocations).toBe(2)
  })
})
