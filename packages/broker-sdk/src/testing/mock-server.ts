import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { isDeepStrictEqual } from 'node:util'
import { WebSocketServer } from 'ws'
import type { RawData, WebSocket } from 'ws'
import { createRedactor } from '../redact.js'
import type { Redactor } from '../redact.js'

/** A request the mock server received, as sent (for golden-request assertions). */
export interface RecordedRequest {
  method: string
  path: string
  /** query parameters (the last value when repeated) */
  query: Record<string, string>
  /** every value of each query parameter (`?i=NSE:SBIN&i=NSE:INFY`) */
  queryAll: Record<string, string[]>
  /** header names lower-cased, values as sent (tests use fake secrets) */
  headers: Record<string, string>
  /** the same headers with credentials replaced, for snapshots and logs */
  redactedHeaders: Record<string, string>
  bodyText: string
  /** parsed body when it was JSON */
  json?: unknown
  /** parsed body when it was form-urlencoded */
  form?: Record<string, string>
  /** true when no route matched (answered 404) */
  unmatched: boolean
  /** sequence number across the server's life */
  seq: number
}

/** A canned answer. */
export interface MockResponse {
  status?: number
  headers?: Record<string, string>
  json?: unknown
  text?: string
  /** raw bytes, streamed in `chunks` pieces when given */
  body?: Uint8Array | string
  chunks?: number
  /** wait this long (real ms) before answering */
  delayMs?: number
  /** never answer (for timeout tests); the socket is destroyed on close */
  hang?: boolean
}

/** A fixed answer, or a function of the request. */
export type MockResponder =
  MockResponse | ((req: RecordedRequest) => MockResponse | Promise<MockResponse>)

/** What a route matches; `path` is exact text or a RegExp over the path (no query). */
export interface RouteMatcher {
  method?: string
  path: string | RegExp
  /** the route matches only when these query values are present */
  query?: Record<string, string>
}

/** A golden request: the fields given must equal what was sent (headers: a case-insensitive subset). */
export interface ExpectedRequest {
  method: string
  path: string
  query?: Record<string, string>
  headers?: Record<string, string>
  json?: unknown
  form?: Record<string, string>
  text?: string
}

/** A scripted WebSocket peer as the mock server sees it. */
export interface MockWsConnection {
  readonly path: string
  readonly query: Record<string, string>
  readonly headers: Record<string, string>
  /** frames received, in order (text as string, binary as Buffer) */
  readonly received: (string | Buffer)[]
  /** text frames parsed as JSON (non-JSON frames skipped) */
  receivedJson(): unknown[]
  /** sends a frame; objects are JSON-encoded */
  send(frame: string | Uint8Array | object): void
  /** closes with a WebSocket close frame */
  close(code?: number, reason?: string): void
  /** drops the TCP connection without a close frame */
  terminate(): void
  readonly closed: boolean
  /** resolves with the first frame (received now or later) the predicate accepts */
  waitForMessage(
    predicate?: (frame: string | Buffer) => boolean,
    timeoutMs?: number,
  ): Promise<string | Buffer>
  /** resolves when the peer has closed */
  waitForClose(timeoutMs?: number): Promise<void>
}

/** The WebSocket side of the mock server (any upgrade path). */
export interface MockWsHub {
  readonly connections: readonly MockWsConnection[]
  /** runs for every new connection (register before the client connects) */
  onConnection(handler: (conn: MockWsConnection) => void): void
  /** refuses the next `times` handshakes with an HTTP status (401/403 for auth rejection tests) */
  rejectNext(status: number, times?: number): void
  /** resolves with the `index`-th connection (0-based), once it exists */
  waitForConnection(index?: number, timeoutMs?: number): Promise<MockWsConnection>
  /** sends a frame to every open connection */
  broadcast(frame: string | Uint8Array | object): void
  /** drops every open connection without a close frame */
  dropAll(): void
}

/** A local fake broker: HTTP fixtures by method+path, a scripted WebSocket, and a request log. */
export interface MockBrokerServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** `ws://127.0.0.1:<port>` */
  readonly wsUrl: string
  /** Adds a route; later routes win over earlier ones, so a test can override a fixture. `times` limits how often it answers. */
  on(
    matcher: RouteMatcher | string | RegExp,
    responder: MockResponder,
    options?: { times?: number },
  ): MockBrokerServer
  /** every request received, oldest first */
  readonly requests: readonly RecordedRequest[]
  /** requests that matched no route */
  unmatched(): RecordedRequest[]
  /** Returns and forgets the requests received so far. */
  takeRequests(): RecordedRequest[]
  /**
   * Asserts a request equal to `expected` was received and returns it.
   *
   * @throws Error showing the expected request and the closest one received.
   */
  expectRequest(expected: ExpectedRequest): RecordedRequest
  /** A stable, redacted text form of requests for golden files and snapshots. */
  snapshot(requests?: readonly RecordedRequest[]): string
  readonly ws: MockWsHub
  close(): Promise<void>
}

interface Route {
  matcher: RouteMatcher
  responder: MockResponder
  remaining: number
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

async function until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await wait(5)
  }
}

function parseQuery(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {}
  search.forEach((value, name) => {
    out[name] = value
  })
  return out
}

function parseQueryAll(search: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  search.forEach((value, name) => {
    ;(out[name] ??= []).push(value)
  })
  return out
}

function headerMap(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

function matches(route: Route, req: RecordedRequest): boolean {
  const { matcher } = route
  if (matcher.method !== undefined && matcher.method.toUpperCase() !== req.method) return false
  if (typeof matcher.path === 'string' ? matcher.path !== req.path : !matcher.path.test(req.path))
    return false
  for (const [name, value] of Object.entries(matcher.query ?? {}))
    if (req.query[name] !== value) return false
  return true
}

function describeMismatch(expected: ExpectedRequest, actual: RecordedRequest): string[] {
  const problems: string[] = []
  if (expected.query !== undefined && !isDeepStrictEqual(expected.query, actual.query)) {
    problems.push(
      `query: expected ${JSON.stringify(expected.query)}, got ${JSON.stringify(actual.query)}`,
    )
  }
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    const got = actual.headers[name.toLowerCase()]
    if (got !== value)
      problems.push(`header ${name}: expected ${JSON.stringify(value)}, got ${JSON.stringify(got)}`)
  }
  if (expected.json !== undefined && !isDeepStrictEqual(expected.json, actual.json)) {
    problems.push(
      `json body: expected ${JSON.stringify(expected.json)}, got ${actual.json === undefined ? actual.bodyText : JSON.stringify(actual.json)}`,
    )
  }
  if (expected.form !== undefined && !isDeepStrictEqual(expected.form, actual.form)) {
    problems.push(
      `form body: expected ${JSON.stringify(expected.form)}, got ${actual.form === undefined ? actual.bodyText : JSON.stringify(actual.form)}`,
    )
  }
  if (expected.text !== undefined && expected.text !== actual.bodyText) {
    problems.push(
      `body: expected ${JSON.stringify(expected.text)}, got ${JSON.stringify(actual.bodyText)}`,
    )
  }
  return problems
}

/**
 * Starts a {@link MockBrokerServer} on 127.0.0.1, port 0. Close it in `afterEach`/`onTestFinished`.
 *
 * @example
 * ```ts
 * const server = await createMockBrokerServer()
 * server.on({ method: 'POST', path: '/orders/regular' }, { json: { status: 'success', data: { order_id: '1' } } })
 * // …point the broker's endpoints at server.url, place an order…
 * server.expectRequest({ method: 'POST', path: '/orders/regular', form: { tradingsymbol: 'SBIN', quantity: '10' } })
 * ```
 */
export async function createMockBrokerServer(
  options: { redactor?: Redactor } = {},
): Promise<MockBrokerServer> {
  const redactor = options.redactor ?? createRedactor()
  const routes: Route[] = []
  let requests: RecordedRequest[] = []
  let seq = 0
  const sockets = new Set<Duplex>()
  const hanging = new Set<ServerResponse>()

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const bodyText = Buffer.concat(chunks).toString('utf8')
    const parsedUrl = new URL(req.url ?? '/', 'http://127.0.0.1')
    const headers = headerMap(req)
    const contentType = headers['content-type'] ?? ''
    const recorded: RecordedRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: parsedUrl.pathname,
      query: parseQuery(parsedUrl.searchParams),
      queryAll: parseQueryAll(parsedUrl.searchParams),
      headers,
      redactedHeaders: redactor.headers(headers),
      bodyText,
      unmatched: false,
      seq: seq++,
    }
    if (bodyText !== '' && contentType.includes('json')) {
      try {
        recorded.json = JSON.parse(bodyText)
      } catch {
        // keep bodyText only; a broker sending broken JSON is what the golden test will show
      }
    } else if (bodyText !== '' && contentType.includes('x-www-form-urlencoded')) {
      recorded.form = parseQuery(new URLSearchParams(bodyText))
    }
    requests.push(recorded)

    let route: Route | undefined
    for (let i = routes.length - 1; i >= 0; i -= 1) {
      const candidate = routes[i]
      if (candidate !== undefined && candidate.remaining > 0 && matches(candidate, recorded)) {
        route = candidate
        break
      }
    }
    if (route === undefined) {
      recorded.unmatched = true
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          status: 'error',
          message: `no fixture for ${recorded.method} ${recorded.path}`,
        }),
      )
      return
    }
    route.remaining -= 1
    const answer =
      typeof route.responder === 'function' ? await route.responder(recorded) : route.responder
    if (answer.delayMs !== undefined) await wait(answer.delayMs)
    if (answer.hang === true) {
      hanging.add(res)
      return
    }
    const headersOut: Record<string, string> = { ...answer.headers }
    let payload: Uint8Array | string = ''
    if (answer.json !== undefined) {
      headersOut['content-type'] ??= 'application/json'
      payload = JSON.stringify(answer.json)
    } else if (answer.text !== undefined) {
      headersOut['content-type'] ??= 'text/plain'
      payload = answer.text
    } else if (answer.body !== undefined) {
      payload = answer.body
    }
    res.writeHead(answer.status ?? 200, headersOut)
    if (answer.chunks !== undefined && answer.chunks > 1) {
      const bytes = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload)
      const size = Math.ceil(bytes.length / answer.chunks)
      for (let i = 0; i < bytes.length; i += size) {
        res.write(bytes.subarray(i, i + size))
        await wait(1)
      }
      res.end()
    } else {
      res.end(payload)
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(`mock server failed: ${String(error)}`)
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  // WebSocket side
  const wss = new WebSocketServer({ noServer: true })
  const connections: MockWsConnection[] = []
  const handlers: ((conn: MockWsConnection) => void)[] = []
  let rejectStatus = 0
  let rejectTimes = 0
  server.on('upgrade', (req, socket, head) => {
    if (rejectTimes > 0) {
      rejectTimes -= 1
      socket.write(
        `HTTP/1.1 ${rejectStatus} Rejected\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      )
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const parsedUrl = new URL(req.url ?? '/', 'http://127.0.0.1')
      const conn = wrapSocket(
        ws,
        parsedUrl.pathname,
        parseQuery(parsedUrl.searchParams),
        headerMap(req),
      )
      connections.push(conn)
      for (const handler of handlers) handler(conn)
    })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const hub: MockWsHub = {
    connections,
    onConnection: (handler) => {
      handlers.push(handler)
    },
    rejectNext: (status, times = 1) => {
      rejectStatus = status
      rejectTimes = times
    },
    waitForConnection: (index = 0, timeoutMs = 5_000) =>
      until(() => connections[index], timeoutMs, `WebSocket connection #${index + 1}`),
    broadcast: (frame) => {
      for (const conn of connections) if (!conn.closed) conn.send(frame)
    },
    dropAll: () => {
      for (const conn of connections) if (!conn.closed) conn.terminate()
    },
  }

  const self: MockBrokerServer = {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    on(matcher, responder, opts = {}) {
      routes.push({
        matcher:
          typeof matcher === 'string' || matcher instanceof RegExp ? { path: matcher } : matcher,
        responder,
        remaining: opts.times ?? Number.POSITIVE_INFINITY,
      })
      return self
    },
    get requests() {
      return requests
    },
    unmatched: () => requests.filter((r) => r.unmatched),
    takeRequests: () => {
      const taken = requests
      requests = []
      return taken
    },
    expectRequest(expected) {
      const candidates = requests.filter(
        (r) => r.method === expected.method.toUpperCase() && r.path === expected.path,
      )
      for (const candidate of candidates)
        if (describeMismatch(expected, candidate).length === 0) return candidate
      const seen = requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none'
      const closest = candidates.at(-1)
      const detail =
        closest === undefined
          ? `no ${expected.method} ${expected.path} was received (received: ${seen})`
          : describeMismatch(expected, closest).join('\n  ')
      throw new Error(
        `golden request mismatch for ${expected.method} ${expected.path}:\n  ${detail}`,
      )
    },
    snapshot(list = requests) {
      return list
        .map((r) =>
          JSON.stringify(
            {
              method: r.method,
              path: r.path,
              query: redactor.value(r.query),
              headers: Object.fromEntries(
                Object.entries(r.redactedHeaders)
                  .filter(
                    ([name]) =>
                      ![
                        'host',
                        'connection',
                        'content-length',
                        'user-agent',
                        'accept',
                        'accept-encoding',
                        'accept-language',
                        'sec-fetch-mode',
                      ].includes(name),
                  )
                  .sort(([a], [b]) => a.localeCompare(b)),
              ),
              body:
                r.json !== undefined
                  ? redactor.value(r.json)
                  : r.form !== undefined
                    ? redactor.value(r.form)
                    : redactor.text(r.bodyText),
            },
            null,
            2,
          ),
        )
        .join('\n')
    },
    ws: hub,
    async close() {
      for (const res of hanging) res.destroy()
      for (const conn of connections) if (!conn.closed) conn.terminate()
      wss.close()
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return self
}

function wrapSocket(
  ws: WebSocket,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
): MockWsConnection {
  const received: (string | Buffer)[] = []
  let closed = false
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
    received.push(isBinary ? buffer : buffer.toString('utf8'))
  })
  ws.on('close', () => {
    closed = true
  })
  ws.on('error', () => {
    closed = true
  })
  return {
    path,
    query,
    headers,
    received,
    receivedJson: () =>
      received.flatMap((frame) => {
        if (typeof frame !== 'string') return []
        try {
          return [JSON.parse(frame) as unknown]
        } catch {
          return []
        }
      }),
    send(frame) {
      if (closed) return
      if (typeof frame === 'string' || frame instanceof Uint8Array) ws.send(frame)
      else ws.send(JSON.stringify(frame))
    },
    close: (code = 1000, reason = '') => ws.close(code, reason),
    terminate: () => ws.terminate(),
    get closed() {
      return closed
    },
    waitForMessage: (predicate = () => true, timeoutMs = 5_000) => {
      let from = 0
      return until(
        () => {
          for (; from < received.length; from += 1) {
            const frame = received[from]
            if (frame !== undefined && predicate(frame)) {
              from += 1
              return frame
            }
          }
          return undefined
        },
        timeoutMs,
        'a WebSocket message',
      )
    },
    waitForClose: (timeoutMs = 5_000) =>
      until(() => (closed ? true : undefined), timeoutMs, 'the WebSocket to close').then(
        () => undefined,
      ),
  }
}
