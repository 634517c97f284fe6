import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { connect, startTestProxy, type Frame } from './test-helpers/harness.js'

const sdkDir = fileURLToPath(new URL('../fixtures/python-sdk/', import.meta.url))
const hasPython = spawnSync('python3', ['--version']).status === 0

/**
 * The frames openalgo/feed.py sends, byte for byte: `json.dumps` with its default separators
 * (`, ` and `: `), the bulk subscribe of `_send_subscribe_msg` (mode as an integer, depth 5) and
 * the per-entry mode of `_send_unsubscribe_msg`.
 */
const sdkFrames = {
  authenticate: (key: string) => `{"action": "authenticate", "api_key": "${key}"}`,
  subscribe: (symbol: string, mode: number) =>
    `{"action": "subscribe", "symbols": [{"symbol": "${symbol}", "exchange": "NSE"}], "mode": ${mode}, "depth": 5}`,
  unsubscribe: (symbol: string, mode: number) =>
    `{"action": "unsubscribe", "symbols": [{"symbol": "${symbol}", "exchange": "NSE", "mode": ${mode}}]}`,
}

/** What feed.py's `_process_message` needs to hand a frame to the LTP/Quote/Depth callback. */
function sdkWouldDeliver(f: Frame): 'ltp' | 'quote' | 'depth' | undefined {
  if (f['type'] !== 'market_data' || !f['exchange'] || !f['symbol']) return undefined
  const data = (f['data'] ?? {}) as Frame
  if (f['mode'] === 1 && 'ltp' in data) return 'ltp'
  if (f['mode'] === 2) return 'quote'
  if (f['mode'] === 3 && 'depth' in data) return 'depth'
  return undefined
}

describe('the official Python SDK (openalgo/feed.py) against the proxy', () => {
  it('accepts exactly the frames feed.py sends and answers what it parses', async () => {
    const proxy = await startTestProxy()
    proxy.identity.issue('admin', 'sdk-key')
    const client = await connect(proxy.url)
    client.sendRaw(sdkFrames.authenticate('sdk-key'))
    // feed.py: authenticated once type == "auth" and status == "success"
    expect(await client.next()).toMatchObject({ type: 'auth', status: 'success' })
    client.sendRaw(sdkFrames.subscribe('SBIN', 1))
    client.sendRaw(sdkFrames.subscribe('RELIANCE', 2))
    client.sendRaw(sdkFrames.subscribe('INFY', 3))
    const acks = [1, 2, 3].map(() => client.next((f) => f['type'] === 'subscribe'))
    for (const ack of await Promise.all(acks)) expect(ack['status']).toBe('success')
    const kinds = new Set<string>()
    while (kinds.size < 3) {
      const kind = sdkWouldDeliver(await client.next((f) => f['type'] === 'market_data'))
      if (kind !== undefined) kinds.add(kind)
    }
    const depth = client.frames.find((f) => sdkWouldDeliver(f) === 'depth')!
    const book = (depth['data'] as { depth: { buy: Frame[] } }).depth.buy
    // get_depth() reads price, quantity and orders of each level
    expect(book[0]).toEqual({
      price: expect.any(Number),
      quantity: expect.any(Number),
      orders: expect.any(Number),
    })
    for (const [symbol, mode] of [
      ['SBIN', 1],
      ['RELIANCE', 2],
      ['INFY', 3],
    ] as const) {
      client.sendRaw(sdkFrames.unsubscribe(symbol, mode))
      expect(await client.next((f) => f['type'] === 'unsubscribe')).toMatchObject({
        status: 'success',
      })
    }
  })

  it.skipIf(!hasPython)(
    'runs feed.py itself: connect, LTP, Quote and Depth callbacks, get_* views',
    async () => {
      const proxy = await startTestProxy()
      proxy.identity.issue('admin', 'sdk-key')
      const py = spawn(
        'python3',
        [`${sdkDir}run_feed.py`, String(proxy.server.address.port), 'sdk-key'],
        { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
      )
      let out = ''
      let err = ''
      py.stdout.on('data', (d: Buffer) => (out += d.toString()))
      py.stderr.on('data', (d: Buffer) => (err += d.toString()))
      const code = await new Promise<number | null>((resolve) => py.on('close', resolve))
      expect(err).toBe('')
      expect(code).toBe(0)
      const result = JSON.parse(out) as {
        connected: boolean
        authenticated: boolean
        callbacks: Record<string, number>
        first: Record<string, Frame>
        ltp: { ltp: Record<string, Record<string, Frame>> }
        quotes: { quote: Record<string, Record<string, Frame>> }
        depth: { depth: Record<string, Record<string, { buyBook: Record<string, Frame> }>> }
      }
      expect(result.connected).toBe(true)
      for (const kind of ['ltp', 'quote', 'depth'])
        expect(result.callbacks[kind]).toBeGreaterThanOrEqual(2)
      expect(result.first['ltp']).toMatchObject({
        symbol: 'SBIN',
        mode: 1,
        data: { ltp: expect.any(Number) },
      })
      expect(result.ltp.ltp['NSE']?.['SBIN']?.['ltp']).toEqual(expect.any(Number))
      const reliance = result.quotes.quote['NSE']?.['RELIANCE']
      expect(reliance?.['open']).toBeGreaterThan(0)
      expect(reliance?.['volume']).toBeGreaterThan(0)
      const infy = result.depth.depth['NSE']?.['INFY']
      expect(infy?.buyBook['1']?.['qty']).toBeGreaterThan(0)
      expect(Object.keys(infy?.buyBook ?? {})).toHaveLength(5)
    },
  )
})
