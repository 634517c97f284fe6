import type { Result } from './result.js'

/** HTTP methods brokers use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'

/** A request body: JSON, form-urlencoded, or raw text with its content type. */
export type HttpBody =
  | { json: unknown }
  | { form: Readonly<Record<string, string | number | boolean>> }
  | { text: string; contentType: string }

/** One request a broker makes through {@link HttpClient}. */
export interface HttpRequest {
  method: HttpMethod
  /**
   * Name of the base URL in the manifest's `endpoints` (`'api'` when omitted), so a test can
   * point every endpoint at its mock server.
   */
  base?: string
  /** path below the base URL, starting with `/` */
  path: string
  /** query parameters; an array repeats the name (`?i=NSE:SBIN&i=NSE:INFY`) */
  query?: Readonly<
    Record<string, string | number | boolean | readonly (string | number)[] | undefined>
  >
  headers?: Readonly<Record<string, string>>
  body?: HttpBody
  /** per-attempt timeout (ms); the client's default when omitted */
  timeoutMs?: number
  /** rate-limit category (`'quotes'`, `'history'`), matching the manifest's `byCategory` */
  category?: string
  /**
   * Whether repeating the request is harmless. Defaults to true for GET/HEAD/PUT/DELETE and false
   * for POST/PATCH: a timed-out order POST may have reached the exchange, so it is never retried;
   * only a 429 (refused before processing) is. Brokers that POST read-only queries (Angel quotes)
   * set it to true.
   */
  idempotent?: boolean
  /** retries after the first attempt; the client's default when omitted */
  maxRetries?: number
  /** a short name for logs and errors (`'place order'`) */
  label?: string
  signal?: AbortSignal
}

/** A buffered response. Statuses below 500 other than 429 come back as responses, not errors. */
export interface HttpResponse {
  status: number
  /** header names lower-cased */
  headers: Readonly<Record<string, string>>
  text: string
  /** the final URL, redacted */
  url: string
}

/** A streamed response for large downloads (master contracts); the body is read once. */
export interface HttpStreamResponse {
  status: number
  headers: Readonly<Record<string, string>>
  body: AsyncIterable<Uint8Array>
}

/**
 * The HTTP door of a broker: base URLs, timeouts, bounded retries with jittered backoff, the
 * account's rate limiter and redacted logging are the client's job, so a broker only maps.
 *
 * Errors: transport failures (timeout, refused, reset) → `broker_down` (retryable); 429 after the
 * last retry → `rate_limited`; 5xx after the last retry → `broker_down` with `httpStatus`.
 */
export interface HttpClient {
  /** Sends a request and buffers the body. */
  request(req: HttpRequest): Promise<Result<HttpResponse>>
  /** Sends a request and hands back the body as a stream (no retries once headers arrived). */
  stream(req: HttpRequest): Promise<Result<HttpStreamResponse>>
  /** The absolute URL a request would go to (for login redirects and WebSocket URLs). */
  url(base: string, path: string, query?: HttpRequest['query']): string
}

/** Paces requests of one broker account (token buckets; see `createRateLimiter`). */
export interface RateLimiter {
  /** Waits until every budget (and the category's, if any) has a token, then takes one from each. */
  acquire(category?: string, signal?: AbortSignal): Promise<void>
  /** Takes tokens now if available and returns 0, else returns the wait in ms without taking any. */
  tryAcquire(category?: string): number
}
