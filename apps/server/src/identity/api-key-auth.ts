import { apiKeyFingerprint, type AuthCache } from '@oa/auth-cache'
import type { Context, MiddlewareHandler } from 'hono'
import type { BanService } from '../security/bans.js'
import type { BrokerLoginPlugin } from './brokers.js'

/** Who an API key belongs to, and what the API needs to act for them. */
export interface ApiCaller {
  readonly username: string
  /** the broker of the user's session; for a sessionless broker (simulator), the configured one */
  readonly broker: string | null
}

export type ApiKeyAuthResult =
  | {
      readonly ok: true
      readonly caller: ApiCaller
      /** `api_keys.id`: a stable, non-secret id for per-key limits and logs */
      readonly keyId: number
      /** the decrypted broker token; null for a sessionless broker without a login */
      readonly authToken: string | null
      readonly feedToken: string | null
    }
  | {
      readonly ok: false
      /**
       * `invalid_apikey`: no such key; `broker_session_missing`: the key is valid but its user
       * has no live broker session (both answer 403 "Invalid openalgo apikey", api.md W-3);
       * `unavailable`: the database failed
       */
      readonly reason: 'invalid_apikey' | 'broker_session_missing' | 'unavailable'
    }

/**
 * The hot path of every `/api/v1` request (spec platform.md §5.2, §6.8): key → user (a `Map.get`
 * when recently verified), user → broker session (an lru-cache get, decrypted tokens in memory).
 * An invalid key is counted against the client IP (W-8: the caller passes the real IP, the
 * ws-proxy its socket's). Never throws.
 */
export function createApiKeyAuthenticator(options: {
  readonly auth: AuthCache
  readonly bans: BanService
  /** the REDIRECT_URL broker and its plugin, when registered */
  readonly configuredBroker: BrokerLoginPlugin | undefined
}): (apiKey: string, clientIp: string) => Promise<ApiKeyAuthResult> {
  const { auth, bans, configuredBroker } = options
  const sessionless = configuredBroker?.sessionless === true ? configuredBroker.id : null
  return async (apiKey, clientIp) => {
    const hit = auth.verifier.cached(apiKey)
    let username: string
    let keyId: number
    if (hit !== undefined) {
      username = hit.username
      keyId = hit.keyId
    } else {
      const verdict = await auth.verifier.verify(apiKey)
      if (!verdict.ok) {
        if (verdict.reason === 'invalid')
          bans.record('api_key', clientIp, apiKeyFingerprint(apiKey))
        return {
          ok: false,
          reason: verdict.reason === 'invalid' ? 'invalid_apikey' : 'unavailable',
        }
      }
      username = verdict.key.username
      keyId = verdict.key.keyId
    }
    const session = auth.brokerSessions.get(username)
    if (session !== null) {
      return {
        ok: true,
        caller: { username, broker: session.broker },
        keyId,
        authToken: session.authToken,
        feedToken: session.feedToken,
      }
    }
    if (sessionless !== null) {
      return {
        ok: true,
        caller: { username, broker: sessionless },
        keyId,
        authToken: null,
        feedToken: null,
      }
    }
    return { ok: false, reason: 'broker_session_missing' }
  }
}

/** The key a request carries: JSON body `apikey` first, then the `X-API-KEY` header (operator.md). */
export async function apiKeyOf(c: Context): Promise<string | undefined> {
  if ((c.req.header('content-type') ?? '').includes('application/json')) {
    try {
      const body: unknown = await c.req.json()
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
        const key = (body as Record<string, unknown>)['apikey']
        if (typeof key === 'string' && key !== '') return key
      }
    } catch {
      // not JSON: fall back to the header
    }
  }
  return c.req.header('x-api-key') || undefined
}

declare module 'hono' {
  interface ContextVariableMap {
    /** set by {@link requireApiKey} */
    apiCaller: Extract<ApiKeyAuthResult, { ok: true }>
  }
}

/**
 * Hono middleware for API-key routes outside the `/api/v1` endpoint framework: reads the key
 * (body `apikey` or `X-API-KEY`), answers 400 in the envelope naming `apikey` when it is
 * missing and 403 "Invalid openalgo apikey" when it does not verify, else sets
 * `c.var.apiCaller` and continues.
 */
export function requireApiKey(
  authenticate: (apiKey: string, clientIp: string) => Promise<ApiKeyAuthResult>,
  clientIp: (c: Context) => string,
): MiddlewareHandler {
  return async (c, next) => {
    const key = await apiKeyOf(c)
    if (key === undefined) {
      return c.json(
        { status: 'error', message: { apikey: ['Missing data for required field.'] } },
        400,
      )
    }
    const result = await authenticate(key, clientIp(c))
    if (!result.ok) return c.json({ status: 'error', message: 'Invalid openalgo apikey' }, 403)
    c.set('apiCaller', result)
    return next()
  }
}
