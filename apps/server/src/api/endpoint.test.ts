import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { body, defineEndpoint, mountEndpoints, type MountApiDeps } from './endpoint.js'
import { buildOpenApiDocument } from './openapi.js'
import { apikeyField, EXCHANGES, floatWhere, oneOf, str } from './wire.js'

const GOOD_KEY = 'a'.repeat(64)

const echo = defineEndpoint({
  method: 'post',
  path: '/echo',
  summary: 'Echo',
  tags: ['test'],
  rateLimit: 'api',
  errorShape: 'repr',
  auth: 'apikey',
  input: body({
    apikey: apikeyField(),
    symbol: str(),
    exchange: oneOf(EXCHANGES),
    quantity: floatWhere((n) => n > 0, 'Quantity must be a positive number.'),
  }),
  handler: (input, call) => ({
    status: 200,
    body: { status: 'success', data: { ...input, apikey: undefined, user: call.caller.username } },
  }),
})

const objectShape = defineEndpoint({ ...echo, path: '/echo-object', errorShape: 'object' })
const optionsShape = defineEndpoint({
  ...echo,
  path: '/echo-options',
  errorShape: 'validation-error',
})
const greeks = defineEndpoint({
  ...echo,
  path: '/echo-greeks',
  errorShape: 'validation-failed',
  auth: { status: 401, message: 'Invalid API key' },
})
const boom = defineEndpoint({
  ...echo,
  path: '/boom',
  handler: () => {
    throw new Error('bug')
  },
})

function makeApp(limitAfter = Infinity) {
  let calls = 0
  const errors: string[] = []
  const deps: MountApiDeps = {
    authenticate: (key) =>
      Promise.resolve(
        key === GOOD_KEY
          ? { ok: true, caller: { username: 'trader', broker: 'simulator' } }
          : { ok: false },
      ),
    rateLimit: () => (++calls > limitAfter ? { ok: false, retryAfterSeconds: 7 } : { ok: true }),
    clientIp: () => '127.0.0.1',
    onUnexpectedError: (_e, _c, id) => void errors.push(id),
  }
  const app = new Hono()
  mountEndpoints(app, [echo, objectShape, optionsShape, greeks, boom], deps)
  return { app, errors }
}

function post(app: Hono, path: string, payload: unknown, headers: Record<string, string> = {}) {
  return app.request(`/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  })
}

const valid = { apikey: GOOD_KEY, symbol: 'SBIN', exchange: 'NSE', quantity: '10', target: '5' }

describe('api endpoint wrapper', () => {
  it('validates, authenticates and calls the handler with coerced input, ignoring unknown fields', async () => {
    const { app } = makeApp()
    const res = await post(app, '/echo', valid)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      status: 'success',
      data: { symbol: 'SBIN', exchange: 'NSE', quantity: 10, user: 'trader' },
    })
    expect((await post(app, '/echo/', valid)).status).toBe(200)
  })

  it('accepts the key from the X-API-KEY header', async () => {
    const { app } = makeApp()
    const { apikey: _k, ...rest } = valid
    expect((await post(app, '/echo', rest, { 'x-api-key': GOOD_KEY })).status).toBe(200)
  })

  it('renders schema errors in the four shapes of the original', async () => {
    const { app } = makeApp()
    const bad = { apikey: GOOD_KEY, exchange: 'XX', quantity: 0 }
    expect(await (await post(app, '/echo', bad)).json()).toEqual({
      status: 'error',
      message:
        "{'symbol': ['Missing data for required field.'], 'exchange': ['Must be one of: NSE, NFO, CDS, BSE, BFO, BCD, MCX, NCDEX, NCO, NSE_INDEX, BSE_INDEX, MCX_INDEX, GLOBAL_INDEX, CRYPTO.'], 'quantity': ['Quantity must be a positive number.']}",
    })
    const obj = (await (await post(app, '/echo-object', { apikey: GOOD_KEY })).json()) as {
      message: unknown
    }
    expect(obj.message).toMatchObject({ symbol: ['Missing data for required field.'] })
    const opt = await (await post(app, '/echo-options', { apikey: GOOD_KEY })).json()
    expect(opt).toMatchObject({
      status: 'error',
      message: 'Validation error',
      errors: { symbol: expect.any(Array) },
    })
    const gk = await (await post(app, '/echo-greeks', { apikey: GOOD_KEY })).json()
    expect(gk).toMatchObject({ message: 'Validation failed' })
  })

  it('checks the schema before the key, as the original does', async () => {
    const { app } = makeApp()
    const res = await post(app, '/echo', { apikey: 'wrong' })
    expect(res.status).toBe(400)
  })

  it('answers a bad key with 403 "Invalid openalgo apikey", or the endpoint-specific rule', async () => {
    const { app } = makeApp()
    const res = await post(app, '/echo', { ...valid, apikey: 'wrong' })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ status: 'error', message: 'Invalid openalgo apikey' })
    const g = await post(app, '/echo-greeks', { ...valid, apikey: 'wrong' })
    expect(g.status).toBe(401)
  })

  it('turns malformed bodies into 400s, never 500s', async () => {
    const { app } = makeApp()
    for (const payload of [
      '{',
      '[1,2]',
      'null',
      '"x"',
      '{"apikey":"a","apikey":"b"}',
      '{"quantity":1e999}',
    ]) {
      const res = await post(app, '/echo', payload)
      expect(res.status, payload).toBe(400)
      expect(((await res.json()) as { status: string }).status).toBe('error')
    }
    const wrongType = await app.request('/api/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(valid),
    })
    expect(wrongType.status).toBe(400)
    expect(
      (await post(app, '/echo', JSON.stringify({ ...valid, pad: 'x'.repeat(300_000) }))).status,
    ).toBe(413)
  })

  it('answers 429 with Retry-After once the limit is reached', async () => {
    const { app } = makeApp(2)
    expect((await post(app, '/echo', valid)).status).toBe(200)
    expect((await post(app, '/echo', valid)).status).toBe(200)
    const res = await post(app, '/echo', valid)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(await res.json()).toEqual({
      status: 'error',
      message: 'Rate limit exceeded. Please slow down your requests.',
      retry_after: 7,
    })
  })

  it('turns a handler bug into a 500 with a request id that the log also has', async () => {
    const { app, errors } = makeApp()
    const res = await post(app, '/boom', valid)
    expect(res.status).toBe(500)
    const json = (await res.json()) as { request_id: string }
    expect(json).toMatchObject({ status: 'error', message: 'An unexpected error occurred' })
    expect(errors).toEqual([json.request_id])
  })

  it('documents every endpoint in an OpenAPI 3.1 document', () => {
    const doc = buildOpenApiDocument(
      { title: 'oa', version: '1', description: 'x', serverUrl: 'http://127.0.0.1:5000' },
      [echo, greeks],
    ) as {
      openapi: string
      paths: Record<
        string,
        Record<
          string,
          { requestBody: { content: Record<string, { schema: { required: string[] } }> } }
        >
      >
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(['/api/v1/echo', '/api/v1/echo-greeks'])
    expect(
      doc.paths['/api/v1/echo']!['post']!.requestBody.content['application/json']!.schema.required,
    ).toEqual(['apikey', 'symbol', 'exchange', 'quantity'])
  })

  it('reads bodies straight from the Node socket: chunked, split, and cut off past the limit', async () => {
    const { app } = makeApp()
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
    await new Promise((resolve) => server.once('listening', resolve))
    const { port } = server.address() as AddressInfo
    /** POSTs the pieces one write each (chunked transfer, no content-length) and answers status + body. */
    const send = (pieces: string[]): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/echo',
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            let body = ''
            res.setEncoding('utf8')
            res.on('data', (d: string) => (body += d))
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
          },
        )
        req.on('error', reject)
        for (const p of pieces) req.write(p)
        req.end()
      })
    try {
      const text = JSON.stringify(valid)
      const whole = await send([text])
      expect(whole.status).toBe(200)
      // a multi-byte character split across two writes survives
      const split = Buffer.from(JSON.stringify({ ...valid, symbol: 'नमस्ते' }))
      const cut = split.indexOf(0xa4) // inside the first Devanagari character
      const bytes = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/echo',
            headers: { 'content-type': 'application/json' },
          },
          (r) => {
            let body = ''
            r.setEncoding('utf8')
            r.on('data', (d: string) => (body += d))
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body }))
          },
        )
        req.on('error', reject)
        req.write(split.subarray(0, cut))
        setTimeout(() => req.end(split.subarray(cut)), 20)
      })
      expect(bytes.status).toBe(200)
      expect(JSON.parse(bytes.body)).toMatchObject({ data: { symbol: 'नमस्ते' } })
      const big = await send([text.slice(0, -1), `,"pad":"${'x'.repeat(300_000)}"}`])
      expect(big.status).toBe(413)
      expect(JSON.parse(big.body)).toMatchObject({ status: 'error' })
      // the server is still fine afterwards
      expect((await send([text])).status).toBe(200)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
