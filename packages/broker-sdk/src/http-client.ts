import { sleep } from './deps.js'
import type { Clock, Logger, Random, Timers } from './deps.js'
import { BrokerError } from './errors.js'
import type { BrokerErrorCode } from './errors.js'
import type {
  HttpClient,
  HttpRequest,
  HttpResponse,
  HttpStreamResponse,
  RateLimiter,
} from './http-types.js'
import { createRedactor } from './redact.js'
import type { Redactor } from './redact.js'
import { err, ok } from './result.js'
import type { Result } from './result.js'

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** broker id, for logs and error messages */
  brokerId: string
  /** named base URLs (`{ api: 'https://api.kite.trade' }`); tests point them at a mock server */
  endpoints: Readonly<Record<string, string>>
  clock: Clock
  timers: Timers
  logger: Logger
  limiter?: RateLimiter | undefined
  /** redacts URLs and error payloads; pass one built with the account's secrets */
  redactor?: Redactor | undefined
  /** defaults to the global `fetch` (undici in Node 20) */
  fetch?: typeof fetch | undefined
  /** how to wait between retries; defaults to `timers` (tests pass an instant, recording sleep) */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined
  /** jitter source, defaults to `Math.random` */
  random?: Random | undefined
  /** per-attempt timeout, default 10 000 ms */
  timeoutMs?: number | undefined
  /** retries after the first attempt, default 2 */
  maxRetries?: number | undefined
  /** exponential backoff: full jitter in [0, min(capMs, baseMs × 2^retry)); defaults 250 ms / 8 000 ms */
  backoff?: { baseMs: number; capMs: number } | undefined
  /** a Retry-After longer than this is not waited for: the call fails `rate_limited`; default 30 000 ms */
  maxRetryAfterMs?: number | undefined
  /** headers sent with every request (`X-Kite-Version: 3`) */
  headers?: Readonly<Record<string, string>> | undefined
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE'])

type AttemptOutcome =
  | { kind: 'response'; response: Response }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  // connection refused: the request never left, so even an order POST may be retried
  | { kind: 'refused'; cause: unknown }
  | { kind: 'network'; cause: unknown }

function causeCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * Maps an HTTP status to the error code a broker should answer with when the body gives nothing
 * better: 401/403 `auth_expired`, 429 `rate_limited`, 5xx `broker_down`, 404 `invalid_input`,
 * other 4xx `rejected`.
 */
export function classifyHttpStatus(status: number): BrokerErrorCode {
  if (status === 401 || status === 403) return 'auth_expired'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'broker_down'
  if (status === 404) return 'invalid_input'
  if (status >= 400) return 'rejected'
  return 'unknown'
}

/**
 * Reads `Retry-After` (seconds or an HTTP date) or Fyers' `X-Retry-After-Ms`; `undefined` when
 * neither is usable.
 */
export function parseRetryAfterMs(
  headers: Readonly<Record<string, string>>,
  nowMs: number,
): number | undefined {
  const ms = headers['x-retry-after-ms']
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms))
  const value = headers['retry-after']?.trim()
  if (value === undefined || value === '') return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000)
  const at = Date.parse(value)
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined
}

function headersOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    out[name.toLowerCase()] = value
  })
  return out
}

/**
 * Creates the {@link HttpClient} a broker receives in its context: Node's `fetch`, base URLs by
 * name, per-attempt timeouts, the account's rate limiter before every attempt, bounded retries with
 * jittered exponential backoff for retryable failures only (timeouts and 5xx when the request is
 * idempotent, 429 honouring Retry-After always, refused connections always), and debug logs with
 * secrets redacted. Never throws for transport trouble; see {@link HttpClient} for the error codes.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const {
    brokerId,
    endpoints,
    clock,
    timers,
    limiter,
    random = Math.random,
    timeoutMs: defaultTimeoutMs = 10_000,
    maxRetries: defaultMaxRetries = 2,
    backoff = { baseMs: 250, capMs: 8_000 },
    maxRetryAfterMs = 30_000,
  } = options
  const redactor = options.redactor ?? createRedactor()
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const logger = options.logger.child({ broker: brokerId })
  const wait = options.sleep ?? ((ms: number, signal?: AbortSignal) => sleep(timers, ms, signal))

  const url = (base: string, path: string, query?: HttpRequest['query']): string => {
    const root = endpoints[base]
    if (root === undefined) {
      throw new Error(
        `${brokerId}: no endpoint named "${base}" (have ${Object.keys(endpoints).join(', ')})`,
      )
    }
    let out = `${root.replace(/\/+$/, '')}${path.startsWith('/') || path === '' ? path : `/${path}`}`
    if (query !== undefined) {
      const params = new URLSearchParams()
      for (const [name, value] of Object.entries(query)) {
        if (value === undefined) continue
        if (Array.isArray(value)) {
          for (const item of value as readonly (string | number)[])
            params.append(name, String(item))
        } else {
          params.append(name, String(value))
        }
      }
      const text = params.toString()
      if (text !== '') out += `${out.includes('?') ? '&' : '?'}${text}`
    }
    return out
  }

  const buildInit = (req: HttpRequest): { headers: Record<string, string>; body?: string } => {
    const headers: Record<string, string> = { ...options.headers, ...req.headers }
    const has = (name: string): boolean =>
      Object.keys(headers).some((h) => h.toLowerCase() === name)
    if (req.body === undefined) return { headers }
    if ('json' in req.body) {
      if (!has('content-type')) headers['content-type'] = 'application/json'
      return { headers, body: JSON.stringify(req.body.json) }
    }
    if ('form' in req.body) {
      if (!has('content-type')) headers['content-type'] = 'application/x-www-form-urlencoded'
      const params = new URLSearchParams()
      for (const [name, value] of Object.entries(req.body.form)) params.append(name, String(value))
      return { headers, body: params.toString() }
    }
    if (!has('content-type')) headers['content-type'] = req.body.contentType
    return { headers, body: req.body.text }
  }

  const attempt = async (
    target: string,
    req: HttpRequest,
    init: { headers: Record<string, string>; body?: string },
    timeoutMs: number,
    readBody: boolean,
  ): Promise<AttemptOutcome & { text?: string }> => {
    const controller = new AbortController()
    let timedOut = false
    const timer = timers.setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    const onAbort = (): void => controller.abort()
    req.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const response = await doFetch(target, {
        method: req.method,
        headers: init.headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: controller.signal,
        redirect: 'follow',
      })
      if (!readBody) return { kind: 'response', response }
      const text = await response.text()
      return { kind: 'response', response, text }
    } catch (cause) {
      if (timedOut) return { kind: 'timeout' }
      if (req.signal?.aborted === true) return { kind: 'aborted' }
      return causeCode(cause) === 'ECONNREFUSED'
        ? { kind: 'refused', cause }
        : { kind: 'network', cause }
    } finally {
      // for streams the timeout covers the headers only; the caller reads the body at its pace
      timers.clearTimeout(timer)
      req.signal?.removeEventListener('abort', onAbort)
    }
  }

  const backoffMs = (retry: number): number =>
    Math.floor(random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** retry))

  const run = async (
    req: HttpRequest,
    readBody: boolean,
  ): Promise<Result<{ response: Response; text?: string; url: string }>> => {
    const target = url(req.base ?? 'api', req.path, req.query)
    const shownUrl = redactor.url(target)
    const label = req.label ?? `${req.method} ${req.path}`
    const init = buildInit(req)
    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(req.method)
    const maxRetries = req.maxRetries ?? defaultMaxRetries
    const timeoutMs = req.timeoutMs ?? defaultTimeoutMs

    for (let retry = 0; ; retry += 1) {
      if (limiter !== undefined) {
        try {
          await limiter.acquire(req.category, req.signal)
        } catch {
          return err(new BrokerError('unknown', `${label} was cancelled`, { retryable: false }))
        }
      }
      const started = clock.now()
      const outcome = await attempt(target, req, init, timeoutMs, readBody)
      const latencyMs = clock.now() - started
      const canRetry = retry < maxRetries
      let waitMs: number | undefined
      let failure: BrokerError

      if (outcome.kind === 'response') {
        const { status } = outcome.response
        const headers = headersOf(outcome.response)
        logger.debug(
          { method: req.method, url: shownUrl, status, latencyMs, attempt: retry + 1, label },
          'broker http',
        )
        if (status !== 429 && status < 500)
          return ok({ response: outcome.response, text: outcome.text, url: shownUrl })
        const snippet = redactor.text((outcome.text ?? '').slice(0, 300))
        if (status === 429) {
          const after = parseRetryAfterMs(headers, clock.now())
          if (after !== undefined && after > maxRetryAfterMs) {
            return err(
              new BrokerError(
                'rate_limited',
                `${brokerId} rate limit hit on ${label}; retry after ${Math.ceil(after / 1000)} s`,
                {
                  httpStatus: 429,
                  cause: snippet,
                },
              ),
            )
          }
          waitMs = after ?? backoffMs(retry)
          failure = new BrokerError('rate_limited', `${brokerId} rate limit hit on ${label}`, {
            httpStatus: 429,
            cause: snippet,
          })
        } else {
          waitMs = idempotent ? backoffMs(retry) : undefined
          failure = new BrokerError(
            'broker_down',
            `${brokerId} answered HTTP ${status} to ${label}`,
            {
              httpStatus: status,
              cause: snippet,
              retryable: idempotent,
            },
          )
        }
        if (!readBody) await outcome.response.body?.cancel().catch(() => undefined)
      } else if (outcome.kind === 'aborted') {
        return err(new BrokerError('unknown', `${label} was cancelled`, { retryable: false }))
      } else if (outcome.kind === 'timeout') {
        waitMs = idempotent ? backoffMs(retry) : undefined
        failure = new BrokerError(
          'broker_down',
          idempotent
            ? `${brokerId} did not answer ${label} within ${timeoutMs} ms`
            : `${brokerId} did not answer ${label} within ${timeoutMs} ms; it may have been processed, check the order book before retrying`,
          { retryable: idempotent },
        )
      } else {
        waitMs = outcome.kind === 'refused' || idempotent ? backoffMs(retry) : undefined
        const cause = redactor.value(outcome.cause)
        failure =
          outcome.kind === 'refused'
            ? new BrokerError('broker_down', `${brokerId} refused the connection for ${label}`, {
                cause,
              })
            : new BrokerError('broker_down', `${brokerId} connection failed during ${label}`, {
                cause,
                retryable: idempotent,
              })
      }

      if (!canRetry || waitMs === undefined) {
        logger.warn(
          {
            method: req.method,
            url: shownUrl,
            code: failure.code,
            httpStatus: failure.httpStatus,
            attempts: retry + 1,
            label,
          },
          'broker http failed',
        )
        return err(failure)
      }
      logger.warn(
        {
          method: req.method,
          url: shownUrl,
          code: failure.code,
          httpStatus: failure.httpStatus,
          retryInMs: waitMs,
          attempt: retry + 1,
          label,
        },
        'broker http retry',
      )
      await wait(waitMs, req.signal)
      if (req.signal?.aborted === true)
        return err(new BrokerError('unknown', `${label} was cancelled`, { retryable: false }))
    }
  }

  return {
    url,
    async request(req) {
      const result = await run(req, true)
      if (!result.ok) return result
      const response: HttpResponse = {
        status: result.value.response.status,
        headers: headersOf(result.value.response),
        text: result.value.text ?? '',
        url: result.value.url,
      }
      return ok(response)
    },
    async stream(req) {
      const result = await run(req, false)
      if (!result.ok) return result
      const { response } = result.value
      const body = response.body
      const stream: HttpStreamResponse = {
        status: response.status,
        headers: headersOf(response),
        body: body === null ? emptyBody() : (body as unknown as AsyncIterable<Uint8Array>),
      }
      return ok(stream)
    },
  }
}

async function* emptyBody(): AsyncIterable<Uint8Array> {
  // nothing to yield
}

/** What {@link readJson} says in errors about where a payload came from. */
export interface PayloadSource {
  broker: string
  endpoint: string
  redactor?: Redactor
}

/**
 * Parses a response body as JSON and checks it with a zod-like schema (STYLE.md §7: broker
 * responses list only the fields we read). Answers `parse_error` naming the broker and endpoint,
 * with a truncated, redacted payload in the cause.
 */
export function readJson<T>(
  response: Pick<HttpResponse, 'text'>,
  schema: {
    safeParse(data: unknown):
      | { success: true; data: T }
      | {
          success: false
          error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }
        }
  },
  source: PayloadSource,
): Result<T> {
  const redactor = source.redactor ?? createRedactor()
  const payload = redactor.text(response.text.slice(0, 500))
  let data: unknown
  try {
    data = JSON.parse(response.text)
  } catch {
    return err(
      new BrokerError(
        'parse_error',
        `${source.broker} ${source.endpoint}: the answer is not JSON`,
        { cause: payload },
      ),
    )
  }
  const parsed = schema.safeParse(data)
  if (parsed.success) return ok(parsed.data)
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ')
  return err(
    new BrokerError(
      'parse_error',
      `${source.broker} ${source.endpoint}: unexpected answer (${issues})`,
      { cause: payload },
    ),
  )
}
