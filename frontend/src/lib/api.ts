import { csrfToken, errorBody, successOf } from '@oa/web-contract'
import type { z } from 'zod'

/**
 * A failed call, with what the page needs to react: the HTTP status, oa's `code`
 * (`session_expired`, `broker_not_connected`, `not_available`, `reauth_required`, …) and the
 * server's message for the trader.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

let csrf: Promise<string> | null = null

/**
 * The CSRF token, fetched once and reused (WS-6: not one extra round trip per click); a login
 * or logout reply that carries a new one replaces it, and a CSRF refusal refetches it once.
 */
function token(): Promise<string> {
  csrf ??= fetch('/auth/csrf-token', { credentials: 'same-origin' })
    .then((r) => r.json())
    .then((j) => csrfToken.parse(j).csrf_token)
    .catch(() => {
      csrf = null
      throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection.')
    })
  return csrf
}

export function rememberCsrf(value: string | undefined): void {
  if (value) csrf = Promise.resolve(value)
}

async function send(path: string, init: RequestInit, retry = true): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      ...init,
      headers: { accept: 'application/json', ...(init.headers ?? {}) },
    })
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection.')
  }
  let json: unknown = null
  try {
    json = await res.json()
  } catch {
    json = null
  }
  const maybeToken = (json as { csrf_token?: unknown } | null)?.csrf_token
  if (typeof maybeToken === 'string') rememberCsrf(maybeToken)
  if (res.ok) return json
  const err = errorBody.partial().safeParse(json)
  const body = err.success ? err.data : {}
  const raw = json as { error?: unknown } | null
  if (res.status === 400 && raw?.error === 'CSRF validation failed' && retry) {
    csrf = null
    const headers = { ...(init.headers as Record<string, string>), 'x-csrftoken': await token() }
    return send(path, { ...init, headers }, false)
  }
  const message =
    body.message ??
    (res.status === 429
      ? 'Too many attempts. Please wait a minute and try again.'
      : `The server answered ${res.status}.`)
  throw new ApiError(res.status, body.code ?? body.error ?? `http_${res.status}`, message)
}

/** GET a JSON document and validate it with `schema`. */
export async function getJson<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
  return schema.parse(await send(path, { method: 'GET' }))
}

/** GET a `/ui/api` route: `{status:'success', data}` validated with the contract's schema. */
export async function getData<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
  const reply = successOf(schema).parse(await send(path, { method: 'GET' })) as { data: unknown }
  return reply.data as z.output<S>
}

/** POST JSON with the CSRF header; validate the reply with `schema`. */
export async function postJson<S extends z.ZodType>(
  path: string,
  body: unknown,
  schema: S,
): Promise<z.output<S>> {
  const json = await send(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrftoken': await token() },
    body: JSON.stringify(body ?? {}),
  })
  return schema.parse(json)
}

/** POST to a `/ui/api` route and unwrap `data`. */
export async function postData<S extends z.ZodType>(
  path: string,
  body: unknown,
  schema: S,
): Promise<z.output<S>> {
  const reply = (await postJson(path, body, successOf(schema))) as { data: unknown }
  return reply.data as z.output<S>
}

/** A message for any thrown value, for inline error text. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}
