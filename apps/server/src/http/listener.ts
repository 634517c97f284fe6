/**
 * The server's Node request listener: Hono for every request, except the plain `POST /api/v1/*`
 * calls that trading tools make thousands of times a minute, which go straight from Node's
 * `IncomingMessage` to the endpoint core and back to the `ServerResponse`.
 *
 * Why: `@hono/node-server` builds a WHATWG Request for each call, Hono composes the middleware
 * chain (ban gate, security headers, CORS, CSRF, request log: five async frames), and the adapter
 * turns the Response back into Node calls. On `/api/v1/quotes` under wrk that machinery was about
 * half of the server's CPU outside the socket write. The fast path does what those middlewares do
 * for such a request, in the same order, and nothing else: the same core (`api/endpoint.ts`)
 * answers, so the bytes are the same (a test holds the two paths equal, header for header).
 *
 * It declines, and Hono answers, whenever the request is anything else: another method, a query
 * string, a path with a trailing segment it does not know, an `Origin` header while CORS is on
 * (Hono's CORS middleware decides), a banned client (Hono's ban gate answers 403), or an endpoint
 * another area put its own middleware on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { getRequestListener } from '@hono/node-server'
import type { Hono } from 'hono'
import {
  mountedApi,
  type ApiRequestInfo,
  readIncomingText,
  type ApiRequest,
  type MountedEndpoint,
} from '../api/endpoint.js'
import type { RequestLog } from '../api/request-log.js'

export interface NodeListenerDeps {
  /** the security headers every answer carries (`securityHeaderList`) */
  readonly headers: readonly (readonly [string, string])[]
  /** CORS_ENABLED: requests with an `Origin` header then take Hono's path */
  readonly corsEnabled: boolean
  /** the client IP from the TCP peer and the headers (trusted proxies honoured) */
  readonly addressOf: (
    peer: string | undefined,
    header: (name: string) => string | undefined,
  ) => string
  readonly isBanned: (ip: string) => boolean
  readonly requestLog?: RequestLog | undefined
  /** told of an error the fast path could not answer (the response was already under way) */
  readonly onError: (error: unknown, path: string) => void
}

interface FastRoute {
  readonly mounted: MountedEndpoint
  /** the pattern Hono would have matched (`/api/v1/x` or `/api/v1/x/`): rate limits key on it */
  readonly routePath: string
}

/** How many requests each path answered, since the listener was made. */
export interface ListenerStats {
  fastPath: number
  viaHono: number
}

export type NodeListener = ((incoming: IncomingMessage, outgoing: ServerResponse) => void) & {
  readonly stats: Readonly<ListenerStats>
}

/** The listener for `http.createServer`: the fast path for plain API posts, Hono for the rest. */
export function createNodeListener(app: Hono, deps: NodeListenerDeps): NodeListener {
  const viaHono = getRequestListener(app.fetch)
  const stats: ListenerStats = { fastPath: 0, viaHono: 0 }
  // built on the first request, when every area has mounted its endpoints and middleware
  let routes: Map<string, FastRoute> | null = null
  const flatHeaders = deps.headers.flat()
  const listener = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    if (
      incoming.method === 'POST' &&
      (!deps.corsEnabled || incoming.headers.origin === undefined)
    ) {
      routes ??= fastRoutes(app)
      const route = routes.get(incoming.url ?? '')
      if (route !== undefined) {
        const ip = deps.addressOf(incoming.socket.remoteAddress, (name) => headerOf(incoming, name))
        if (!deps.isBanned(ip)) {
          stats.fastPath++
          void answer(route, incoming, outgoing, ip, flatHeaders, deps)
          return
        }
      }
    }
    stats.viaHono++
    void viaHono(incoming, outgoing)
  }
  return Object.assign(listener, { stats })
}

function headerOf(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * The POST endpoints the fast path may serve, by exact URL: both slash forms, minus any endpoint
 * a path-specific middleware is registered on (that middleware would be skipped). Global
 * middleware (`*`, `/api/*`) is what this module mirrors.
 */
function fastRoutes(app: Hono): Map<string, FastRoute> {
  const guarded = app.routes
    .filter((r) => r.method === 'ALL' && r.path !== '*' && r.path !== '/api/*' && r.path !== '/*')
    .map((r) => r.path)
  const covered = (path: string): boolean =>
    guarded.some((g) => (g.endsWith('/*') ? path.startsWith(g.slice(0, -1)) : g === path))
  const map = new Map<string, FastRoute>()
  for (const mounted of mountedApi(app)) {
    if (mounted.def.method !== 'post' || mounted.fullPath.includes('/:')) continue
    for (const path of [mounted.fullPath, `${mounted.fullPath}/`]) {
      if (!covered(path) && !map.has(path)) map.set(path, { mounted, routePath: path })
    }
  }
  return map
}

async function answer(
  route: FastRoute,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  clientIp: string,
  securityHeaders: readonly string[],
  deps: NodeListenerDeps,
): Promise<void> {
  const t0 = performance.now()
  const path = route.routePath
  const request: ApiRequest = {
    method: 'POST',
    path,
    routePath: route.routePath,
    clientIp,
    header: (name) => headerOf(incoming, name),
    // the fast path only takes URLs without a query string
    query: () => undefined,
    queryAndParams: () => ({}),
    bodyText: (max) => readIncomingText(incoming, max),
  }
  let status = 500
  let error: string | null = null
  let api: ApiRequestInfo | undefined
  try {
    const outcome = await route.mounted.run(request)
    api = outcome.info
    status = outcome.status
    if (outcome.response) {
      const res = outcome.response
      const headers: string[] = [...securityHeaders]
      res.headers.forEach((value, name) => headers.push(name, value))
      const body = Buffer.from(await res.arrayBuffer())
      headers.push('content-length', String(body.length))
      outgoing.writeHead(status, headers)
      outgoing.end(body)
    } else {
      const tStage = performance.now()
      const body = JSON.stringify(outcome.body)
      outcome.info.trace.serialiseMs = performance.now() - tStage
      const headers = [...securityHeaders, 'content-type', 'application/json']
      for (const [name, value] of outcome.headers) headers.push(name, value)
      // writeHead fixes the head: without a length the body would go chunked
      headers.push('content-length', String(Buffer.byteLength(body)))
      outgoing.writeHead(status, headers)
      outgoing.end(body)
    }
  } catch (e) {
    // the core answers its own errors; this is a write that failed (a client gone mid-answer)
    error = e instanceof Error ? e.message : String(e)
    deps.onError(e, path)
    if (!outgoing.headersSent) {
      status = 500
      const body = JSON.stringify({ status: 'error', message: 'An unexpected error occurred' })
      outgoing.writeHead(500, [
        ...securityHeaders,
        'content-type',
        'application/json',
        'content-length',
        String(Buffer.byteLength(body)),
      ])
      outgoing.end(body)
    } else outgoing.destroy()
  } finally {
    deps.requestLog?.record({
      ip: clientIp,
      method: 'POST',
      path,
      status,
      durationMs: performance.now() - t0,
      host: headerOf(incoming, 'host') ?? null,
      error,
      api,
    })
  }
}
