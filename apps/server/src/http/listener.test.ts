import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { body, defineEndpoint, mountEndpoints, type MountApiDeps } from '../api/endpoint.js'
import { apikeyField, str } from '../api/wire.js'
import { createNodeListener, type NodeListener } from './listener.js'

const KEY = 'k'.repeat(64)

const echo = defineEndpoint({
  method: 'post',
  path: '/echo',
  summary: 'Echo',
  tags: ['test'],
  rateLimit: 'api',
  errorShape: 'repr',
  auth: 'apikey',
  input: body({ apikey: apikeyField(), symbol: str() }),
  handler: (input, call, request) => ({
    status: 200,
    body: {
      status: 'success',
      data: { symbol: input.symbol, ip: call.clientIp, idem: request.header('idempotency-key') },
    },
  }),
})
const guarded = defineEndpoint({ ...echo, path: '/guarded' })
const text = defineEndpoint({
  ...echo,
  path: '/text',
  handler: () => new Response('a,b\n1,2', { headers: { 'content-type': 'text/csv' } }),
})

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

async function start(options: { corsEnabled?: boolean; banned?: string } = {}) {
  const limits: string[] = []
  const deps: MountApiDeps = {
    authenticate: (key) =>
      Promise.resolve(
        key === KEY ? { ok: true, caller: { username: 'u', broker: null } } : { ok: false },
      ),
    rateLimit: (_group, request) => {
      limits.push(request.routePath)
      return { ok: true }
    },
    clientIp: () => '127.0.0.1',
    onUnexpectedError: () => undefined,
  }
  const app = new Hono()
  // a global middleware only Hono runs: it marks which path answered
  app.use('*', async (c, next) => {
    await next()
    c.res.headers.set('x-via', 'hono')
  })
  app.use('/api/v1/guarded', async (c, next) => {
    await next()
    c.res.headers.set('x-guard', 'yes')
  })
  mountEndpoints(app, [echo, guarded, text], deps)
  const listener: NodeListener = createNodeListener(app, {
    headers: [['X-Content-Type-Options', 'nosniff']],
    corsEnabled: options.corsEnabled ?? false,
    addressOf: (peer) => peer ?? 'unknown',
    isBanned: (ip) => ip === options.banned,
    onError: () => undefined,
  })
  const server = createServer(listener)
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const post = (path: string, payload: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    })
  return { listener, post, base, limits }
}

describe('node listener', () => {
  it('answers plain API posts itself, with the security headers and the core answer', async () => {
    const { listener, post, limits } = await start()
    const res = await post(
      '/api/v1/echo',
      { apikey: KEY, symbol: 'SBIN' },
      { 'idempotency-key': 'x1' },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('x-via')).toBeNull()
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toEqual({
      status: 'success',
      data: { symbol: 'SBIN', ip: '127.0.0.1', idem: 'x1' },
    })
    const slash = await post('/api/v1/echo/', { apikey: KEY, symbol: 'SBIN' })
    expect(slash.status).toBe(200)
    expect(listener.stats).toEqual({ fastPath: 2, viaHono: 0 })
    // each slash form keys its own rate-limit bucket, as Hono's routePath does
    expect(limits).toEqual(['/api/v1/echo', '/api/v1/echo/'])
  })

  it('answers errors of the core in the envelope: schema, key, body', async () => {
    const { listener, post } = await start()
    expect((await post('/api/v1/echo', { apikey: KEY })).status).toBe(400)
    expect(await (await post('/api/v1/echo', { apikey: 'bad', symbol: 'X' })).json()).toEqual({
      status: 'error',
      message: 'Invalid openalgo apikey',
    })
    const broken = await post('/api/v1/echo', '{"apikey":')
    expect(broken.status).toBe(400)
    expect(((await broken.json()) as { status: string }).status).toBe('error')
    const big = await post('/api/v1/echo', { apikey: KEY, symbol: 'x'.repeat(300_000) })
    expect(big.status).toBe(413)
    expect(listener.stats.fastPath).toBe(4)
    expect(listener.stats.viaHono).toBe(0)
  })

  it('reads a body that comes in pieces after its head, and bodies sent back to back', async () => {
    const { listener, base } = await start()
    const { port } = new URL(base)
    const payload = (symbol: string) => JSON.stringify({ apikey: KEY, symbol })
    const head = (body: string) =>
      `POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`
    // writes each piece after a pause, then collects the answers until `count` have come
    const exchange = (pieces: string[], count: number) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1')
        let got = ''
        socket.setEncoding('utf8')
        socket.on('data', (d: string) => {
          got += d
          if (got.split('HTTP/1.1 ').length - 1 === count && got.endsWith('}')) {
            socket.end()
            resolve(got)
          }
        })
        socket.on('error', reject)
        void (async () => {
          for (const piece of pieces) {
            socket.write(piece)
            await new Promise((r) => setTimeout(r, 40))
          }
        })()
      })
    const one = payload('SPLIT')
    const split = await exchange(
      [head(one) + one.slice(0, 10), one.slice(10, 30), one.slice(30)],
      1,
    )
    expect(split).toMatch(/^HTTP\/1\.1 200 OK/)
    expect(split).toContain('"symbol":"SPLIT"')
    const a = payload('A')
    const b = payload('B')
    const both = await exchange([head(a) + a + head(b) + b], 2)
    expect(both.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2)
    expect(both.indexOf('"symbol":"A"')).toBeLessThan(both.indexOf('"symbol":"B"'))
    expect(listener.stats).toEqual({ fastPath: 3, viaHono: 0 })
  })

  it('writes a handler’s own response as it is', async () => {
    const { post } = await start()
    const res = await post('/api/v1/text', { apikey: KEY, symbol: 'SBIN' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await res.text()).toBe('a,b\n1,2')
  })

  it('leaves every other request to Hono', async () => {
    const { listener, post, base } = await start({ corsEnabled: true })
    const cases = [
      await post('/api/v1/echo?apikey=x', { apikey: KEY, symbol: 'SBIN' }),
      await post('/api/v1/echo', { apikey: KEY, symbol: 'SBIN' }, { origin: 'https://x.test' }),
      await post('/api/v1/guarded', { apikey: KEY, symbol: 'SBIN' }),
      await post('/api/v1/nope', {}),
      await fetch(`${base}/api/v1/echo`),
    ]
    for (const res of cases) expect(res.headers.get('x-via')).toBe('hono')
    expect(cases.map((r) => r.status)).toEqual([200, 200, 200, 404, 404])
    expect(cases[2]?.headers.get('x-guard')).toBe('yes')
    expect(listener.stats).toEqual({ fastPath: 0, viaHono: 5 })
  })

  it('sends a banned client to Hono (whose ban gate answers) and takes an Origin when CORS is off', async () => {
    const banned = await start({ banned: '127.0.0.1' })
    const res = await banned.post('/api/v1/echo', { apikey: KEY, symbol: 'SBIN' })
    expect(res.headers.get('x-via')).toBe('hono')
    expect(banned.listener.stats.viaHono).toBe(1)

    const open = await start({ corsEnabled: false })
    const withOrigin = await open.post(
      '/api/v1/echo',
      { apikey: KEY, symbol: 'SBIN' },
      { origin: 'https://x.test' },
    )
    expect(withOrigin.headers.get('x-via')).toBeNull()
    expect(open.listener.stats.fastPath).toBe(1)
  })
})
