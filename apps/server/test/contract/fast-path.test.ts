/**
 * The `/api/v1` fast path (`http/listener.ts`) against Hono on the real server: the same request
 * sent once as a plain POST (the fast path answers) and once with a query string (Hono answers:
 * the fast path declines any URL with one) must get the same status, body and headers. Over real
 * sockets, so the bytes compared are the bytes a client gets.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { startContractServer } from './harness.js'

const server = await startContractServer()
afterAll(() => server.stop())

const base = `http://127.0.0.1:${server.running.address.port}`
/** headers that differ per response whatever answers */
const VOLATILE = new Set(['date', 'keep-alive', 'connection'])

async function send(path: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
  const head: Record<string, string> = {}
  res.headers.forEach((value, name) => {
    if (!VOLATILE.has(name)) head[name] = value
  })
  return { status: res.status, headers: head, body: await res.text() }
}

/** The same request through both paths; returns both answers and checks each path was taken. */
async function both(path: string, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  const before = { ...server.running.http }
  const fast = await send(path, text, headers)
  const viaHono = await send(`${path}?via=hono`, text, headers)
  expect(server.running.http.fastPath - before.fastPath).toBe(1)
  expect(server.running.http.viaHono - before.viaHono).toBe(1)
  return { fast, viaHono }
}

describe('the /api/v1 fast path answers exactly as Hono does', () => {
  const key = () => server.apiKey
  const cases: [string, string, () => unknown, Record<string, string>?][] = [
    ['ping', '/api/v1/ping', () => ({ apikey: key() })],
    ['ping, trailing slash', '/api/v1/ping/', () => ({ apikey: key() })],
    ['ping, key in the X-API-KEY header', '/api/v1/ping', () => ({}), { 'x-api-key': key() }],
    ['a bad key', '/api/v1/ping', () => ({ apikey: 'nope' })],
    ['a schema error', '/api/v1/quotes', () => ({ apikey: key(), exchange: 'NSE' })],
    [
      'an unknown symbol',
      '/api/v1/quotes',
      () => ({ apikey: key(), symbol: 'ZZZZ', exchange: 'NSE' }),
    ],
    ['broken JSON', '/api/v1/quotes', () => '{"apikey":'],
    ['duplicate keys', '/api/v1/ping', () => `{"apikey":"${key()}","apikey":"x"}`],
    [
      'the wrong content type',
      '/api/v1/ping',
      () => ({ apikey: key() }),
      { 'content-type': 'text/plain' },
    ],
    ['an order schema error', '/api/v1/placeorder', () => ({ apikey: key(), symbol: 'SBIN' })],
    ['funds', '/api/v1/funds', () => ({ apikey: key() })],
  ]
  for (const [name, path, body, headers] of cases) {
    it(name, async () => {
      const { fast, viaHono } = await both(path, body(), headers)
      expect(fast).toEqual(viaHono)
      expect(fast.headers['x-content-type-options']).toBe('nosniff')
    })
  }

  it('quotes: same status, headers and fields (prices move between the two calls)', async () => {
    const { fast, viaHono } = await both('/api/v1/quotes', {
      apikey: key(),
      symbol: 'SBIN',
      exchange: 'NSE',
    })
    expect(fast.status).toBe(200)
    expect({ ...fast.headers, 'content-length': '' }).toEqual({
      ...viaHono.headers,
      'content-length': '',
    })
    const keys = (text: string) => Object.keys((JSON.parse(text) as { data: object }).data).sort()
    expect(keys(fast.body)).toEqual(keys(viaHono.body))
  })

  it('records fast-path requests in the traffic log and the latency monitor', async () => {
    const before = server.running.http.fastPath
    const res = await fetch(`${base}/api/v1/ping`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apikey: key() }),
    })
    expect(res.status).toBe(200)
    expect(server.running.http.fastPath).toBe(before + 1)
    const log = server.running.context.requestLog
    if (!log) throw new Error('the server runs a request log')
    log.flush()
    const traffic = server.running.context.logs.sqlite
      .prepare(
        "SELECT method, status_code, client_ip, user_id FROM traffic_logs WHERE path = '/api/v1/ping' ORDER BY id DESC LIMIT 1",
      )
      .get() as { method: string; status_code: number; client_ip: string; user_id: number | null }
    expect(traffic).toMatchObject({ method: 'POST', status_code: 200, client_ip: '127.0.0.1' })
    expect(traffic.user_id).not.toBeNull()
    const latency = server.running.context.latency?.sqlite
      .prepare(
        "SELECT path, http_status, status FROM order_latency WHERE path = '/ping' ORDER BY id DESC LIMIT 1",
      )
      .get()
    expect(latency).toEqual({ path: '/ping', http_status: 200, status: 'SUCCESS' })
  })
})
