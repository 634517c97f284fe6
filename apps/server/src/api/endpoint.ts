/**
 * The one way an `/api/v1` endpoint is written: a zod schema (the single source for validation
 * and the OpenAPI document), the original's rate-limit group, error shape and auth rule, and a
 * handler that receives typed input and returns an OpenAlgo envelope. The wrapper does the rest
 * in the original's order: rate limit → body → schema → API key → handler.
 */
import type { Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { MAX_BODY_BYTES, parseJsonBody } from './json-body.js'
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

/** Which configured limit applies (spec api.md §2). */
export type RateGroup = 'api' | 'order' | 'smartOrder' | 'greeks' | 'none'

/** Who is calling, once the API key verified. */
export interface Caller {
  readonly username: string
  /** the broker the user is logged in to, null when no broker session exists */
  readonly broker: string | null
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
    c: Context,
  ) => Promise<ApiReply | Response> | ApiReply | Response
}

/** Identity of an API key; the identity area implements it. */
export type AuthenticateApiKey = (
  apiKey: string,
  clientIp: string,
) => Promise<{ ok: true; caller: Caller } | { ok: false }>

/** Rate limiting by group; the security area implements it. */
export type RateLimit = (
  group: Exclude<RateGroup, 'none'>,
  c: Context,
) => { ok: true } | { ok: false; retryAfterSeconds: number }

export interface MountApiDeps {
  readonly authenticate: AuthenticateApiKey
  readonly rateLimit: RateLimit
  readonly clientIp: (c: Context) => string
  readonly onUnexpectedError: (error: unknown, c: Context, requestId: string) => void
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

/** Mounts endpoints under `/api/v1` with both `/x` and `/x/` forms (the original's strict_slashes=False). */
export function mountEndpoints(
  app: Hono,
  defs: readonly EndpointDefinition[],
  deps: MountApiDeps,
): void {
  for (const def of defs) {
    const handler = (c: Context) => runEndpoint(def, c, deps)
    const path = `/api/v1${def.path}`
    app.on(def.method.toUpperCase(), [path, `${path}/`], handler)
  }
}

async function runEndpoint(
  def: EndpointDefinition,
  c: Context,
  deps: MountApiDeps,
): Promise<Response> {
  const requestId = crypto.randomUUID()
  try {
    if (def.rateLimit !== 'none') {
      const limited = deps.rateLimit(def.rateLimit, c)
      if (!limited.ok) {
        c.header('Retry-After', String(limited.retryAfterSeconds))
        return c.json(
          {
            status: 'error',
            message: 'Rate limit exceeded. Please slow down your requests.',
            retry_after: limited.retryAfterSeconds,
          },
          429,
        )
      }
    }

    let raw: unknown
    if (def.method === 'post') {
      const read = await readJson(c)
      if (!read.ok) return c.json({ status: 'error', message: read.message }, read.status)
      raw = read.value
    } else {
      raw = { ...c.req.query(), ...c.req.param() }
    }
    // The key may also come in the X-API-KEY header (operator.md), when the body has none.
    const headerKey = c.req.header('x-api-key')
    if (headerKey && isPlainObject(raw) && raw['apikey'] === undefined)
      raw = { ...raw, apikey: headerKey }

    const parsed = def.input.safeParse(raw)
    if (!parsed.success) return schemaError(c, def, toErrorDict(parsed.error.issues))

    const clientIp = deps.clientIp(c)
    let caller: Caller = { username: '', broker: null }
    if (def.auth !== 'none') {
      const key = isPlainObject(parsed.data) ? parsed.data['apikey'] : undefined
      const result =
        typeof key === 'string' ? await deps.authenticate(key, clientIp) : { ok: false as const }
      if (!result.ok) {
        const rule =
          def.auth === 'apikey' ? { status: 403 as const, message: INVALID_KEY } : def.auth
        return c.json(
          { status: 'error', message: rule.message, ...(def.schemaErrorExtra?.() ?? {}) },
          rule.status,
        )
      }
      caller = result.caller
    }
    const reply = await def.handler(parsed.data, { caller, clientIp, requestId }, c)
    if (reply instanceof Response) return reply
    return c.json(reply.body, reply.status)
  } catch (error) {
    deps.onUnexpectedError(error, c, requestId)
    return c.json(
      { status: 'error', message: 'An unexpected error occurred', request_id: requestId },
      500,
    )
  }
}

type ReadResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string }

async function readJson(c: Context): Promise<ReadResult> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    return { ok: false, status: 400, message: 'Content-Type must be application/json' }
  }
  const length = Number(c.req.header('content-length') ?? '0')
  if (length > MAX_BODY_BYTES)
    return {
      ok: false,
      status: 413,
      message: `Request body is larger than ${MAX_BODY_BYTES} bytes`,
    }
  const text = await c.req.text()
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    return {
      ok: false,
      status: 413,
      message: `Request body is larger than ${MAX_BODY_BYTES} bytes`,
    }
  }
  const parsed = parseJsonBody(text)
  return parsed.ok ? parsed : { ok: false, status: 400, message: parsed.message }
}

function schemaError(c: Context, def: EndpointDefinition, errors: ErrorDict): Response {
  const extra = def.schemaErrorExtra?.() ?? {}
  switch (def.errorShape) {
    case 'repr':
      return c.json({ status: 'error', message: pythonRepr(errors), ...extra }, 400)
    case 'object':
      return c.json({ status: 'error', message: errors, ...extra }, 400)
    case 'validation-error':
      return c.json({ status: 'error', message: 'Validation error', errors, ...extra }, 400)
    case 'validation-failed':
      return c.json({ status: 'error', message: 'Validation failed', errors, ...extra }, 400)
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
