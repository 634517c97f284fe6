import { createHmac, timingSafeEqual } from 'node:crypto'
import type { RandomSource } from '@oa/auth-cache'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { Clock } from '../clock.js'
import type { WebSession } from './sessions.js'

export interface CsrfOptions {
  /** CSRF_ENABLED */
  readonly enabled: boolean
  /** 32-byte HMAC key (a sub-key of APP_KEY) */
  readonly key: Uint8Array
  /** the nonce cookie's name */
  readonly cookieName: string
  readonly secure: boolean
  /** CSRF_TIME_LIMIT seconds; null = valid for as long as the nonce and session are */
  readonly timeLimitSeconds: number | null
  readonly clock: Clock
  readonly random: RandomSource
  /** the request's session, to bind tokens to it */
  readonly session: (c: Context) => WebSession | null
}

/**
 * CSRF protection (spec platform.md §7.2, W-11), a signed double-submit token: an HttpOnly
 * nonce cookie, and a token = `<issued seconds>.<HMAC(key, nonce, issued, session binding)>`
 * that the SPA fetches from `GET /auth/csrf-token` and sends back in `X-CSRFToken` /
 * `X-CSRF-Token` or the form field `csrf_token`. A token minted for one browser (nonce) or one
 * session does not verify for another, and logging in changes the session, so the login
 * response carries a fresh token. `/api/v1/*` (API-key authenticated) and the webhook and broker
 * callback paths are exempt.
 */
export interface Csrf {
  /** a token for this request's browser and session (sets the nonce cookie if missing) */
  token(c: Context): string
  /** a new nonce and a token for it (after login and logout) */
  rotate(c: Context): string
  /** rejects unsafe methods without a valid token (400, §7.2 JSON) */
  middleware(): MiddlewareHandler
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const EXEMPT = [
  /^\/api\/v1(\/|$)/,
  /^\/[a-z0-9_]+\/callback\/?$/,
  /^\/(strategy|chartink)\/webhook\//,
  /^\/flow\/webhook\//,
  /^\/postback\//,
  /^\/health(\/|$)/,
]

/** Paths that take no CSRF token (spec platform.md §7.2's exemption list). */
export function isCsrfExempt(path: string): boolean {
  return EXEMPT.some((re) => re.test(path))
}

export function createCsrf(options: CsrfOptions): Csrf {
  const { clock } = options
  const mac = (nonce: string, issued: string, binding: string): string =>
    createHmac('sha256', options.key).update(`${nonce}.${issued}.${binding}`).digest('base64url')
  const writeNonce = (c: Context): string => {
    const nonce = options.random.bytes(32).toString('base64url')
    setCookie(c, options.cookieName, nonce, {
      httpOnly: true,
      secure: options.secure,
      sameSite: 'Lax',
      path: '/',
    })
    nonces.set(c, nonce)
    return nonce
  }
  // the nonce set during this request (the cookie header still holds the old one)
  const nonces = new WeakMap<Context, string>()
  const nonceOf = (c: Context): string | undefined =>
    nonces.get(c) ?? getCookie(c, options.cookieName)
  const mint = (c: Context, nonce: string): string => {
    const issued = String(Math.floor(clock.now() / 1000))
    return `${issued}.${mac(nonce, issued, options.session(c)?.binding ?? '')}`
  }
  const verify = (c: Context, submitted: string): boolean => {
    const nonce = getCookie(c, options.cookieName)
    const dot = submitted.indexOf('.')
    if (!nonce || dot <= 0) return false
    const issued = submitted.slice(0, dot)
    if (!/^\d{1,12}$/.test(issued)) return false
    if (
      options.timeLimitSeconds !== null &&
      Math.floor(clock.now() / 1000) - Number(issued) > options.timeLimitSeconds
    )
      return false
    const expected = Buffer.from(mac(nonce, issued, options.session(c)?.binding ?? ''))
    const given = Buffer.from(submitted.slice(dot + 1))
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  return {
    token: (c) => mint(c, nonceOf(c) ?? writeNonce(c)),
    rotate: (c) => mint(c, writeNonce(c)),
    middleware() {
      return async (c, next) => {
        if (!options.enabled || !UNSAFE.has(c.req.method) || isCsrfExempt(c.req.path)) return next()
        let submitted = c.req.header('x-csrftoken') ?? c.req.header('x-csrf-token') ?? ''
        if (!submitted) {
          const type = (c.req.header('content-type') ?? '').toLowerCase()
          if (
            type.includes('application/x-www-form-urlencoded') ||
            type.includes('multipart/form-data')
          ) {
            const body = await c.req.parseBody()
            const field = body['csrf_token']
            if (typeof field === 'string') submitted = field
          }
        }
        if (!verify(c, submitted)) {
          return c.json(
            {
              error: 'CSRF validation failed',
              message: 'Security token expired or invalid. Please refresh the page and try again.',
            },
            400,
          )
        }
        return next()
      }
    },
  }
}
