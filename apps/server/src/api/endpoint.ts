/**
 * The one way an `/api/v1` endpoint is written: a zod schema (the single source for validation
 * and the OpenAPI document), the original's rate-limit group, error shape and auth rule, and a
 * handler that receives typed input and returns an OpenAlgo envelope. The wrapper does the rest
 * in the original's order: rate limit → body → schema → API key → handler.
 */
import type { IncomingMessage } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { requestHeader } from '../http/request-header.js'
import { MAX_BODY_BYTES, parseJsonBody } from './json-body.js'
import { newTrace, type RequestTrace } from './trace.js'
import { pythonRepr, toErrorDict, type ErrorDict } from './validation-errors.js'
import { fieldError } from './wire.js'

/** How schema errors are reported (spec api.md §3.2). */
export type ErrorShape =
  /** `message` is the Python repr of the error dict (order endpoints) */
  | 'repr'
  /** `message` is the error dict itself (data and book endpoints) */
  | 'object'
  /** `{"message":"Validation error","errors":{...}}` (options endpoints) */
  | 'validation-error'
  /** `{"message":"Validation failed","errors":{...}}` (greeks) */
  | 'validation-failed'

/**
 * Which configured limit applies (spec api.md §2). `notify` is the Telegram/WhatsApp group
 * (`TELEGRAM_RATE_LIMIT`/`WHATSAPP_RATE_LIMIT`, 30 per minute), enforced by the wrapper itself.
 */
export type RateGroup = 'api' | 'order' | 'smartOrder' | 'greeks' | 'notify' | 'none'

/** Who is calling, once the API key verified. */
export interface Caller {
  readonly username: string
  /** the broker the user is logged in to, null when no broker session exists */
  readonly broker: string | null
  /** the request's latency trace, for services to pass to the broker lookup */
  readonly trace?: RequestTrace | undefined
}

export interface CallInfo {
  readonly caller: Caller
  readonly clientIp: string
  readonly requestId: string
}

/** What a handler returns: an HTTP status and the JSON body (the envelope is the handler's). */
export interface ApiReply {
  readonly status: ContentfulStatusCode
  readonly body: Record<string, unknown>
}

/**
 * A request as the endpoint core sees it, whichever server delivered it: Hono (`app.request` in
 * tests, and every request the fast path declines) or the Node fast path (`http/listener.ts`).
 */
export interface ApiRequest {
  readonly method: string
  /** the request path, without the query string */
  readonly path: string
  /** the route pattern that matched, e.g. `/api/v1/quotes/`: rate-limit buckets key on it */
  readonly routePath: string
  /** the resolved client IP (trusted proxies honoured) */
  readonly clientIp: string
  /** a request header by lower-case name */
  header(name: string): string | undefined
  /** a query-string parameter */
  query(name: string): string | undefined
  /** every query-string and path parameter (a GET endpoint's input) */
  queryAndParams(): Record<string, string>
  /** the body as text, or null when it is over `max` bytes */
  bodyText(max: number): Promise<string | null>
}

/** The answer the core computed for a request, before any server writes it. */
export interface ApiOutcome {
  readonly status: ContentfulStatusCode
  /** the JSON body, or null when the handler answered with its own `response` */
  readonly body: Record<string, unknown> | null
  /** a handler's own response (CSV, text), when it made one */
  readonly response: Response | null
  /** headers the core adds (`Retry-After`) */
  readonly headers: readonly (readonly [string, string])[]
  readonly info: ApiRequestInfo
}

export interface EndpointDefinition<S extends z.ZodType = z.ZodType> {
  readonly method: 'post' | 'get'
  /** path under `/api/v1`, e.g. `/placeorder`; `:name` segments become path params */
  readonly path: string
  readonly summary: string
  readonly description?: string
  readonly tags: readonly string[]
  readonly rateLimit: RateGroup
  readonly errorShape: ErrorShape
  /** bad key: status and message (default 403 "Invalid openalgo apikey"); `none` skips the check */
  readonly auth: 'apikey' | { readonly status: 401 | 403; readonly message: string } | 'none'
  /** the request schema: JSON body for POST, query string (plus path params) for GET */
  readonly input: S
  /** extra fields on schema errors, e.g. `{ mode: 'analyze' }` in analyzer mode for order endpoints */
  readonly schemaErrorExtra?: () => Record<string, unknown>
  /** a real response from the simulator, for the OpenAPI document */
  readonly example?: { readonly request?: unknown; readonly response: unknown }
  readonly handler: (
    input: z.output<S>,
    call: CallInfo,
    request: ApiRequest,
  ) => Promise<ApiReply | Response> | ApiReply | Response
}

/** Identity of an API key; the identity area implements it. */
export type AuthenticateApiKey = (
  apiKey: string,
  clientIp: string,
) => Promise<{ ok: true; caller: Caller } | { ok: false }>

/** Rate limiting by group; the security area implements it. */
export type RateLimit = (
  group: Exclude<RateGroup, 'none' | 'notify'>,
  request: ApiRequest,
) => { ok: true } | { ok: false; retryAfterSeconds: number }

export interface MountApiDeps {
  readonly authenticate: AuthenticateApiKey
  readonly rateLimit: RateLimit
  /** the client IP of a request that came through Hono */
  readonly clientIp: (c: Context) => string
  readonly onUnexpectedError: (error: unknown, request: ApiRequest, requestId: string) => void
  /**
   * Told of every request the schema refused (before any handler ran), with the body as parsed
   * and the answer as sent: the orders area keeps them in the analyzer log.
   */
  readonly onSchemaError?: (
    request: ApiRequest,
    raw: unknown,
    answer: Record<string, unknown>,
  ) => void
  /** the `notify` group's limit (default 30 per minute per client IP) */
  readonly notifyLimit?: { readonly count: number; readonly windowMs: number }
  /** epoch ms for the `notify` limiter; defaults to the system clock */
  readonly now?: () => number
}

/**
 * What the wrapper learned about a request, left on the context (`c.get('oaApi')`) for the
 * request log and the latency monitor, which write it after the response, off the hot path.
 */
export interface ApiRequestInfo {
  readonly path: string
  readonly requestId: string
  readonly trace: RequestTrace
  /** ms from the wrapper's start to the serialised response */
  totalMs: number
  username: string | null
  broker: string | null
  symbol: string | null
  orderId: string | null
  errorMessage: string | null
}

declare module 'hono' {
  interface ContextVariableMap {
    oaApi: ApiRequestInfo
  }
}

/** Declares an endpoint; the identity function exists for inference of the handler's input type. */
export function defineEndpoint<S extends z.ZodType>(
  def: EndpointDefinition<S>,
): EndpointDefinition<S> {
  return def
}

/** A request body object schema: a non-object body reports `{'_schema': ['Invalid input type.']}`. */
export function body<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape, { error: fieldError('Invalid input type.') })
}

const INVALID_KEY = 'Invalid openalgo apikey'

/** An endpoint as mounted: its definition and the core bound to its mount's dependencies. */
export interface MountedEndpoint {
  readonly def: EndpointDefinition
  /** `/api/v1` + the definition's path */
  readonly fullPath: string
  /** answers a request (never throws: a handler bug is a 500 outcome) */
  readonly run: (request: ApiRequest) => Promise<ApiOutcome>
}

/** Every endpoint mounted on an app, in mount order (the OpenAPI document and 405s read it). */
const registry = new WeakMap<Hono, MountedEndpoint[]>()

/** The endpoints mounted on `app` so far, by any area. */
export function mountedEndpoints(app: Hono): readonly EndpointDefinition[] {
  return (registry.get(app) ?? []).map((m) => m.def)
}

/** The endpoints mounted on `app` so far, with their bound cores (the Node fast path's table). */
export function mountedApi(app: Hono): readonly MountedEndpoint[] {
  return registry.get(app) ?? []
}

/** Mounts endpoints under `/api/v1` with both `/x` and `/x/` forms (the original's strict_slashes=False). */
export function mountEndpoints(
  app: Hono,
  defs: readonly EndpointDefinition[],
  deps: MountApiDeps,
): void {
  let list = registry.get(app)
  if (!list) {
    list = []
    registry.set(app, list)
  }
  const notify = createNotifyLimiter(deps)
  for (const def of defs) {
    const fullPath = `/api/v1${def.path}`
    const mounted: MountedEndpoint = {
      def,
      fullPath,
      run: (request) => executeEndpoint(def, request, deps, notify),
    }
    list.push(mounted)
    app.on(def.method.toUpperCase(), [fullPath, `${fullPath}/`], (c) =>
      answerThroughHono(mounted, c, deps),
    )
  }
}

const METHOD_NOT_ALLOWED = 'The method is not allowed for the requested URL.'

/**
 * For a request no route matched: 405 in the envelope when its path is a mounted endpoint's
 * (with another method), with `Allow`; null otherwise (the caller answers 404).
 */
export function methodNotAllowed(app: Hono, c: Context): Response | null {
  const path = c.req.path.replace(/\/+$/, '')
  const allowed = new Set<string>()
  for (const def of mountedEndpoints(app)) {
    if (pathPattern(def.path).test(path)) allowed.add(def.method.toUpperCase())
  }
  if (allowed.size === 0) return null
  if (allowed.has('GET')) allowed.add('HEAD')
  allowed.add('OPTIONS')
  c.header('Allow', [...allowed].sort().join(', '))
  return c.json({ status: 'error', message: METHOD_NOT_ALLOWED }, 405)
}

const patterns = new Map<string, RegExp>()
function pathPattern(path: string): RegExp {
  let re = patterns.get(path)
  if (!re) {
    const body = path
      .split('/')
      .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')
    re = new RegExp(`^/api/v1${body}$`)
    patterns.set(path, re)
  }
  return re
}

type NotifyLimiter = (request: ApiRequest, route: string) => number | null

/** A moving-window limiter for the `notify` group: returns seconds to wait, or null. */
function createNotifyLimiter(deps: MountApiDeps): NotifyLimiter {
  const { count, windowMs } = deps.notifyLimit ?? { count: 30, windowMs: 60_000 }
  const now = deps.now ?? (() => Date.now())
  const hits = new Map<string, number[]>()
  return (request, route) => {
    const key = `${route} ${request.clientIp}`
    const t = now()
    const list = (hits.get(key) ?? []).filter((at) => t - at < windowMs)
    if (list.length >= count) {
      hits.set(key, list)
      return Math.max(1, Math.ceil(((list[0] ?? t) + windowMs - t) / 1000))
    }
    list.push(t)
    hits.set(key, list)
    if (hits.size > 10_000) hits.delete(hits.keys().next().value as string)
    return null
  }
}

const RATE_LIMITED = 'Rate limit exceeded. Please slow down your requests.'
const NO_HEADERS: readonly (readonly [string, string])[] = []

/**
 * The endpoint core, in the original's order: rate limit → body → schema → API key → handler.
 * Framework-free: it reads the request through {@link ApiRequest} and returns the answer as data,
 * so Hono and the Node fast path write the same bytes.
 */
async function executeEndpoint(
  def: EndpointDefinition,
  request: ApiRequest,
  deps: MountApiDeps,
  notify: NotifyLimiter,
): Promise<ApiOutcome> {
  const t0 = performance.now()
  const requestId = crypto.randomUUID()
  const trace = newTrace()
  const info: ApiRequestInfo = {
    path: def.path,
    requestId,
    trace,
    totalMs: 0,
    username: null,
    broker: null,
    symbol: null,
    orderId: null,
    errorMessage: null,
  }
  const answer = (
    status: ContentfulStatusCode,
    body: Record<string, unknown>,
    headers: readonly (readonly [string, string])[] = NO_HEADERS,
  ): ApiOutcome => {
    info.totalMs = performance.now() - t0
    return { status, body, response: null, headers, info }
  }
  try {
    const wait =
      def.rateLimit === 'notify'
        ? notify(request, def.path)
        : def.rateLimit === 'none'
          ? null
          : limitedFor(deps.rateLimit(def.rateLimit, request))
    if (wait !== null) {
      return answer(429, { status: 'error', message: RATE_LIMITED, retry_after: wait }, [
        ['Retry-After', String(wait)],
      ])
    }

    let tStage = performance.now()
    let raw: unknown
    if (def.method === 'post') {
      const read = await readJson(request)
      if (!read.ok) {
        info.errorMessage = read.message
        return answer(read.status, { status: 'error', message: read.message })
      }
      raw = read.value
      // The key may also come in the query string (telegram/whatsapp do), when the body has none.
      const queryKey = request.query('apikey')
      if (queryKey && isPlainObject(raw) && raw['apikey'] === undefined)
        raw = { ...raw, apikey: queryKey }
    } else {
      raw = request.queryAndParams()
    }
    // The key may also come in the X-API-KEY header (operator.md), when the body has none.
    const headerKey = request.header('x-api-key')
    if (headerKey && isPlainObject(raw) && raw['apikey'] === undefined)
      raw = { ...raw, apikey: headerKey }
    trace.parseMs = performance.now() - tStage

    tStage = performance.now()
    const parsed = def.input.safeParse(raw)
    trace.validateMs = performance.now() - tStage
    if (!parsed.success) {
      info.errorMessage = 'validation error'
      const body = schemaErrorBody(def, toErrorDict(parsed.error.issues))
      deps.onSchemaError?.(request, raw, body)
      return answer(400, body)
    }
    if (isPlainObject(parsed.data) && typeof parsed.data['symbol'] === 'string')
      info.symbol = parsed.data['symbol']

    const clientIp = request.clientIp
    let caller: Caller = { username: '', broker: null }
    if (def.auth !== 'none') {
      tStage = performance.now()
      const key = isPlainObject(parsed.data) ? parsed.data['apikey'] : undefined
      const result =
        typeof key === 'string' ? await deps.authenticate(key, clientIp) : { ok: false as const }
      trace.authMs = performance.now() - tStage
      if (!result.ok) {
        const rule =
          def.auth === 'apikey' ? { status: 403 as const, message: INVALID_KEY } : def.auth
        info.errorMessage = rule.message
        return answer(rule.status, {
          status: 'error',
          message: rule.message,
          ...(def.schemaErrorExtra?.() ?? {}),
        })
      }
      caller = { username: result.caller.username, broker: result.caller.broker, trace }
      info.username = caller.username
      info.broker = caller.broker
    }
    tStage = performance.now()
    const reply = await def.handler(parsed.data, { caller, clientIp, requestId }, request)
    trace.handlerMs = performance.now() - tStage
    if (reply instanceof Response) {
      info.totalMs = performance.now() - t0
      return {
        status: reply.status as ContentfulStatusCode,
        body: null,
        response: reply,
        headers: NO_HEADERS,
        info,
      }
    }
    const orderId = reply.body['orderid']
    if (typeof orderId === 'string' || typeof orderId === 'number') info.orderId = String(orderId)
    if (reply.body['status'] === 'error' && typeof reply.body['message'] === 'string')
      info.errorMessage = reply.body['message']
    return answer(reply.status, reply.body)
  } catch (error) {
    deps.onUnexpectedError(error, request, requestId)
    info.errorMessage = 'An unexpected error occurred'
    return answer(500, {
      status: 'error',
      message: 'An unexpected error occurred',
      request_id: requestId,
    })
  }
}

function limitedFor(
  verdict: { ok: true } | { ok: false; retryAfterSeconds: number },
): number | null {
  return verdict.ok ? null : verdict.retryAfterSeconds
}

/** Runs the core for a request Hono routed, and turns its outcome into Hono's response. */
async function answerThroughHono(
  mounted: MountedEndpoint,
  c: Context,
  deps: MountApiDeps,
): Promise<Response> {
  const outcome = await mounted.run(honoApiRequest(c, deps.clientIp(c)))
  c.set('oaApi', outcome.info)
  if (outcome.response) return outcome.response
  for (const [name, value] of outcome.headers) c.header(name, value)
  const tStage = performance.now()
  const res = c.json(outcome.body, outcome.status)
  outcome.info.trace.serialiseMs = performance.now() - tStage
  return res
}

function honoApiRequest(c: Context, clientIp: string): ApiRequest {
  return {
    method: c.req.method,
    path: c.req.path,
    routePath: c.req.routePath,
    clientIp,
    header: (name) => requestHeader(c, name),
    query: (name) => c.req.query(name),
    queryAndParams: () => ({ ...c.req.query(), ...c.req.param() }),
    bodyText: (max) => readBodyText(c, max),
  }
}

type ReadResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string }

const TOO_LARGE = `Request body is larger than ${MAX_BODY_BYTES} bytes`

async function readJson(request: ApiRequest): Promise<ReadResult> {
  const type = request.header('content-type') ?? ''
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    return { ok: false, status: 400, message: 'Content-Type must be application/json' }
  }
  const length = Number(request.header('content-length') ?? '0')
  if (length > MAX_BODY_BYTES) return { ok: false, status: 413, message: TOO_LARGE }
  const text = await request.bodyText(MAX_BODY_BYTES)
  if (text === null) return { ok: false, status: 413, message: TOO_LARGE }
  const parsed = parseJsonBody(text)
  return parsed.ok ? parsed : { ok: false, status: 400, message: parsed.message }
}

/** The Node request `@hono/node-server` hands the app in `c.env` (absent under `app.request`). */
interface NodeBindings {
  readonly incoming?: IncomingMessage
}

/**
 * The body as text, or null when it is over `max` bytes. On Node it is read straight from the
 * socket's `IncomingMessage` ({@link readIncomingText}). A body already touched through `c.req`
 * (and tests' `app.request`) takes Hono's path.
 */
async function readBodyText(c: Context, max: number): Promise<string | null> {
  const incoming = (c.env as NodeBindings | undefined)?.incoming
  // tests' `app.request` may pass a bare `{ socket }` as the peer: only a real stream is read here
  if (typeof incoming?.on !== 'function' || incoming.readableDidRead || incoming.readableEnded) {
    const text = await c.req.text()
    return Buffer.byteLength(text) > max ? null : text
  }
  return readIncomingText(incoming, max)
}

/**
 * A Node request's body as text, or null when it is over `max` bytes. Hono's `c.req.text()` goes
 * through a WHATWG stream built over the `IncomingMessage`, which measured 3,221 req/s for a bare
 * POST route against 9,469 req/s read this way (wrk, 16 connections, same machine, same run).
 * Reading stops at `max`: a huge body is not buffered.
 *
 * A client's small POST arrives in the same socket read as its head. The HTTP parser emits the
 * request at the end of the head and goes on through the body in the same call; microtasks run
 * only after that call. So one microtask later such a body is buffered whole (its `Content-Length`
 * bytes; the parser never buffers past a message's end), and one `read()` takes it: no
 * listeners, no flowing mode, no `data` and `end` events to wait for. A chunked body, or one
 * still on its way, is read through the events.
 */
export async function readIncomingText(
  incoming: IncomingMessage,
  max: number,
): Promise<string | null> {
  await undefined
  const length = incoming.headers['content-length']
  if (
    length !== undefined &&
    incoming.headers['transfer-encoding'] === undefined &&
    incoming.readableLength === Number(length) &&
    !incoming.readableDidRead &&
    incoming.listenerCount('data') === 0
  ) {
    if (incoming.readableLength > max) return null
    const body = incoming.read() as Buffer | null
    return body === null ? '' : body.toString('utf8')
  }
  return readIncomingEvents(incoming, max)
}

function readIncomingEvents(incoming: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > max) {
        cleanup()
        incoming.on('error', () => undefined) // the client may hang up while we drain
        incoming.resume() // drain the rest so the connection can answer 413
        resolve(null)
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(
        chunks.length === 1
          ? (chunks[0] as Buffer).toString('utf8')
          : Buffer.concat(chunks, size).toString('utf8'),
      )
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const cleanup = (): void => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError)
    }
    incoming.on('data', onData).on('end', onEnd).on('error', onError)
  })
}

function schemaErrorBody(def: EndpointDefinition, errors: ErrorDict): Record<string, unknown> {
  const extra = def.schemaErrorExtra?.() ?? {}
  switch (def.errorShape) {
    case 'repr':
      return { status: 'error', message: pythonRepr(errors), ...extra }
    case 'object':
      return { status: 'error', message: errors, ...extra }
    case 'validation-error':
      return { status: 'error', message: 'Validation error', errors, ...extra }
    case 'validation-failed':
      return { status: 'error', message: 'Validation failed', errors, ...extra }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
