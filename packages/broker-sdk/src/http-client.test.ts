import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createSystemTimers } from './deps.js'
import { classifyHttpStatus, createHttpClient, parseRetryAfterMs, readJson } from './http-client.js'
import type { HttpClientOptions } from './http-client.js'
import { createRateLimiter } from './rate-limiter.js'
import { createRedactor } from './redact.js'
import { createManualClock } from './testing/manual-clock.js'
import { createMockBrokerServer } from './testing/mock-server.js'
import type { MockBrokerServer } from './testing/mock-server.js'
import { createRecordingLogger } from './testing/recording-logger.js'

let server: MockBrokerServer
afterEach(async () => {
  await server.close()
})

function client(overrides: Partial<HttpClientOptions> = {}) {
  const slept: number[] = []
  const logger = createRecordingLogger()
  const http = createHttpClient({
    brokerId: 'acme',
    endpoints: { api: server.url, data: `${server.url}/data/` },
    clock: { now: () => Date.now() },
    timers: createSystemTimers(),
    logger,
    random: () => 0.5,
    sleep: async (ms) => {
      slept.push(ms)
    },
    ...overrides,
  })
  return { http, slept, logger }
}

describe('http client', () => {
  it('sends JSON, form and query exactly as asked, against the named base URL', async () => {
    server = await createMockBrokerServer()
    server.on({ method: 'POST', path: '/orders' }, { json: { id: '1' } })
    server.on({ method: 'POST', path: '/data/quote' }, { json: { ltp: 1 } })
    const { http } = client({ headers: { 'X-Kite-Version': '3' } })

    const placed = await http.request({
      method: 'POST',
      path: '/orders',
      query: { variety: 'regular', skip: undefined },
      body: { form: { tradingsymbol: 'SBIN', quantity: 10, amo: false } },
    })
    expect(placed.ok && placed.value.status).toBe(200)
    expect(placed.ok && placed.value.text).toBe('{"id":"1"}')
    server.expectRequest({
      method: 'POST',
      path: '/orders',
      query: { variety: 'regular' },
      headers: { 'x-kite-version': '3', 'content-type': 'application/x-www-form-urlencoded' },
      form: { tradingsymbol: 'SBIN', quantity: '10', amo: 'false' },
    })

    await http.request({
      method: 'POST',
      base: 'data',
      path: '/quote',
      body: { json: { tokens: [1, 2] } },
    })
    server.expectRequest({ method: 'POST', path: '/data/quote', json: { tokens: [1, 2] } })

    await http.request({ method: 'GET', path: '/orders', query: { i: ['NSE:SBIN', 'NSE:M&M'] } })
    expect(server.requests.at(-1)?.queryAll).toEqual({ i: ['NSE:SBIN', 'NSE:M&M'] })
  })

  it('hands 4xx answers back to the broker, which knows what its error bodies mean', async () => {
    server = await createMockBrokerServer()
    server.on('/orders', { status: 400, json: { status: 'error', message: 'Insufficient funds' } })
    const { http, slept } = client()
    const result = await http.request({ method: 'GET', path: '/orders' })
    expect(result.ok && result.value.status).toBe(400)
    expect(slept).toEqual([])
  })

  it('retries a 5xx on an idempotent request with jittered exponential backoff, then succeeds', async () => {
    server = await createMockBrokerServer()
    server.on('/funds', { json: { cash: 1 } })
    server.on('/funds', { status: 503, text: 'busy' }, { times: 2 })
    const { http, slept } = client({ backoff: { baseMs: 100, capMs: 10_000 } })
    const result = await http.request({ method: 'GET', path: '/funds' })
    expect(result.ok).toBe(true)
    expect(server.requests).toHaveLength(3)
    // full jitter with random() = 0.5: 0.5 × 100, 0.5 × 200
    expect(slept).toEqual([50, 100])
  })

  it('gives up after the retry budget with a retryable broker_down carrying the status', async () => {
    server = await createMockBrokerServer()
    server.on('/funds', { status: 502, text: 'bad gateway' })
    const { http } = client({ maxRetries: 1 })
    const result = await http.request({ method: 'GET', path: '/funds' })
    expect(server.requests).toHaveLength(2)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('broker_down')
      expect(result.error.httpStatus).toBe(502)
      expect(result.error.retryable).toBe(true)
    }
  })

  it('never retries an order POST that got a 5xx: it may have reached the exchange', async () => {
    server = await createMockBrokerServer()
    server.on('/orders', { status: 500, text: 'oops' })
    const { http } = client()
    const result = await http.request({ method: 'POST', path: '/orders', body: { json: {} } })
    expect(server.requests).toHaveLength(1)
    expect(!result.ok && result.error.retryable).toBe(false)
  })

  it('retries a 429 even on POST, waiting what Retry-After says', async () => {
    server = await createMockBrokerServer()
    server.on('/orders', { json: { id: '9' } })
    server.on(
      '/orders',
      { status: 429, headers: { 'retry-after': '2' }, text: 'slow down' },
      { times: 1 },
    )
    const { http, slept } = client()
    const result = await http.request({ method: 'POST', path: '/orders', body: { json: {} } })
    expect(result.ok).toBe(true)
    expect(slept).toEqual([2000])
  })

  it('answers rate_limited after the last 429, and at once when Retry-After is too long', async () => {
    server = await createMockBrokerServer()
    server.on('/quotes', { status: 429, headers: { 'x-retry-after-ms': '250' } })
    const first = client({ maxRetries: 3 })
    const result = await first.http.request({ method: 'GET', path: '/quotes' })
    expect(first.slept).toEqual([250, 250, 250])
    expect(!result.ok && result.error.code).toBe('rate_limited')

    server.on('/quotes', { status: 429, headers: { 'retry-after': '3600' } })
    const second = client()
    const refused = await second.http.request({ method: 'GET', path: '/quotes' })
    expect(second.slept).toEqual([])
    expect(!refused.ok && refused.error.message).toMatch(/retry after 3600 s/)
  })

  it('times out a silent broker, retrying only idempotent requests', async () => {
    server = await createMockBrokerServer()
    server.on('/slow', { hang: true })
    const { http, slept } = client({ timeoutMs: 50, maxRetries: 1 })
    const read = await http.request({ method: 'GET', path: '/slow' })
    expect(server.requests).toHaveLength(2)
    expect(slept).toHaveLength(1)
    expect(!read.ok && read.error.code).toBe('broker_down')
    expect(!read.ok && read.error.message).toMatch(/within 50 ms/)

    server.takeRequests()
    const order = await http.request({ method: 'POST', path: '/slow', body: { json: {} } })
    expect(server.requests).toHaveLength(1)
    expect(!order.ok && order.error.retryable).toBe(false)
    expect(!order.ok && order.error.message).toMatch(/check the order book/)
  })

  it('retries a refused connection even for POST: nothing was sent', async () => {
    server = await createMockBrokerServer()
    const deadUrl = server.url
    await server.close()
    server = await createMockBrokerServer()
    const { http, slept } = client({ endpoints: { api: deadUrl }, maxRetries: 2 })
    const result = await http.request({ method: 'POST', path: '/orders', body: { json: {} } })
    expect(slept).toHaveLength(2)
    expect(!result.ok && result.error.code).toBe('broker_down')
    expect(!result.ok && result.error.message).toMatch(/refused/)
  })

  it('takes a rate-limiter token before every attempt', async () => {
    server = await createMockBrokerServer()
    server.on('/q', { json: {} })
    const clock = createManualClock(0)
    const waits: number[] = []
    const limiter = createRateLimiter({
      clock,
      timers: clock,
      limits: { perSecond: 2 },
      sleep: async (ms) => {
        waits.push(ms)
        clock.advance(ms)
      },
    })
    const { http } = client({ limiter })
    for (let i = 0; i < 5; i += 1) await http.request({ method: 'GET', path: '/q' })
    expect(server.requests).toHaveLength(5)
    // 2 per second: two at t=0, two at t=1 s, one at t=2 s
    expect(waits).toEqual([1000, 1000])
  })

  it('logs method, redacted URL and status, never tokens', async () => {
    server = await createMockBrokerServer()
    server.on('/session', { json: {} })
    const secret = 'sekret-access-token-123'
    const { http, logger } = client({ redactor: createRedactor({ secrets: [secret] }) })
    await http.request({
      method: 'GET',
      path: '/session',
      query: { access_token: secret, user: 'AB12' },
      headers: { Authorization: `token key:${secret}` },
    })
    expect(logger.text()).not.toContain(secret)
    expect(logger.lines[0]?.fields).toMatchObject({
      status: 200,
      url: expect.stringContaining('access_token=[redacted]&user=AB12'),
    })
  })

  it('streams a large body in chunks', async () => {
    server = await createMockBrokerServer()
    const csv = 'a,b\n'.repeat(10_000)
    server.on('/master.csv', { body: csv, chunks: 8, headers: { 'content-type': 'text/csv' } })
    const { http } = client()
    const result = await http.stream({ method: 'GET', path: '/master.csv' })
    if (!result.ok) throw result.error
    let bytes = 0
    let pieces = 0
    for await (const chunk of result.value.body) {
      bytes += chunk.length
      pieces += 1
    }
    expect(bytes).toBe(csv.length)
    expect(pieces).toBeGreaterThan(1)
  })
})

describe('http helpers', () => {
  it('reads Retry-After in seconds, as a date, and Fyers milliseconds', () => {
    expect(parseRetryAfterMs({ 'retry-after': '3' }, 0)).toBe(3000)
    expect(parseRetryAfterMs({ 'x-retry-after-ms': '125' }, 0)).toBe(125)
    const now = Date.parse('2025-04-17T10:00:00Z')
    expect(parseRetryAfterMs({ 'retry-after': 'Thu, 17 Apr 2025 10:00:05 GMT' }, now)).toBe(5000)
    expect(parseRetryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined()
    expect(parseRetryAfterMs({}, now)).toBeUndefined()
  })

  it('classifies statuses for brokers without a better signal', () => {
    expect([401, 403, 404, 400, 429, 503].map(classifyHttpStatus)).toEqual([
      'auth_expired',
      'auth_expired',
      'invalid_input',
      'rejected',
      'rate_limited',
      'broker_down',
    ])
  })

  it('reports a malformed broker answer with broker, endpoint and a redacted payload', () => {
    const schema = z.object({ data: z.object({ order_id: z.string() }) })
    const bad = readJson(
      { text: '{"data":{"order_id":5},"access_token":"eyJhbGciOi.eyJzdWIiOjF9.c2ln"}' },
      schema,
      {
        broker: 'acme',
        endpoint: 'place order',
      },
    )
    expect(bad.ok).toBe(false)
    if (!bad.ok) {
      expect(bad.error.code).toBe('parse_error')
      expect(bad.error.message).toMatch(/^acme place order: unexpected answer \(data\.order_id:/)
      expect(String(bad.error.cause)).not.toContain('eyJhbGciOi')
    }
    expect(readJson({ text: 'not json' }, schema, { broker: 'acme', endpoint: 'x' }).ok).toBe(false)
    expect(
      readJson({ text: '{"data":{"order_id":"7"}}' }, schema, { broker: 'acme', endpoint: 'x' }),
    ).toEqual({
      ok: true,
      value: { data: { order_id: '7' } },
    })
  })
})
