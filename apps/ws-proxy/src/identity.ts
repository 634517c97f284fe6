/**
 * Who a socket is (streaming.md §2.6, W-3, W-8): API-key verification and the user's broker
 * session, behind a small seam so the protocol code does not depend on how keys are stored. The
 * real implementation is `@oa/auth-cache` over this process's own connection to the main
 * database; tests may pass a fake through the same interface.
 */
import { AUTH_EPOCH, type AuthCache } from '@oa/auth-cache'
import type { BrokerSession } from '@oa/broker-sdk'
import { verifyFeedToken } from '@oa/web-contract/feed-token'

/**
 * What a verified key entitles a socket to, kept for the socket's lifetime. `lookup` is the
 * key's keyed hash (HMAC), never the key itself, so the proxy holds no plaintext key after the
 * `authenticate` frame (§4.2 "no plaintext keys as map keys").
 */
export interface KeyGrant {
  readonly username: string
  /** `api_keys.id`; 0 for a feed-token grant */
  readonly keyId: number
  readonly lookup: string
  /**
   * Set when the socket authenticated with the web app's feed token instead of an API key: such
   * a socket gets market data only (no order updates), and no key rotation concerns it.
   */
  readonly feedToken?: true
}

/** The outcome of verifying a key. */
export type VerifyResult =
  | { readonly ok: true; readonly grant: KeyGrant }
  | { readonly ok: false; readonly reason: 'invalid' | 'unavailable' }

/** A user's broker and its session. */
export interface UserBroker {
  readonly broker: string
  readonly session: BrokerSession
}

/** See the module comment. */
export interface Identity {
  /** Verifies an API key; never throws. `remoteIp` is for the implementation's own records. */
  verifyApiKey(apiKey: string, remoteIp: string): Promise<VerifyResult>
  /**
   * Verifies the web app's feed token (`oaft1.…`, minted by the server for a web session);
   * never throws. Invalid, forged and expired tokens are `invalid`.
   */
  verifyFeedToken(token: string): VerifyResult
  /** Whether a grant still stands: its key was neither rotated nor deleted. */
  isGrantValid(grant: KeyGrant): Promise<boolean>
  /** The user's broker and session, or null when the user has none. */
  brokerOf(username: string): UserBroker | null
  /** Looks for credential changes made by other processes; true when there were some. */
  poll(): boolean
  /** Drops cached verdicts and sessions (of one user, or of everyone). */
  invalidate(username?: string): void
}

/** The session a sessionless broker (the simulator) streams with: it needs no token. */
export const SESSIONLESS: BrokerSession = { authToken: 'sessionless' }

/**
 * The {@link Identity} over `@oa/auth-cache`: the verifier's three levels for keys, the broker
 * session cache for tokens, and its epoch watcher, polled by the caller, for changes made by the
 * server or the `oa` commands. A user without a broker session streams from `sessionlessBroker`
 * when the configured broker needs no login (the simulator), as the server's API does.
 */
export function createAuthCacheIdentity(options: {
  readonly auth: AuthCache
  /** the REDIRECT_URL broker when it needs no broker login, else null */
  readonly sessionlessBroker: string | null
  /** `deriveFeedTokenKey(APP_KEY)`; without it feed tokens are refused */
  readonly feedTokenKey?: Uint8Array
  /** epoch ms, for the feed token's expiry */
  readonly now?: () => number
}): Identity {
  const { auth } = options
  const now = options.now ?? Date.now
  return {
    verifyFeedToken(token) {
      const key = options.feedTokenKey
      const username = key === undefined ? null : verifyFeedToken(token, { key, nowMs: now() })
      if (username === null) return { ok: false, reason: 'invalid' }
      return {
        ok: true,
        grant: { username, keyId: 0, lookup: `feed:${username}`, feedToken: true },
      }
    },
    async verifyApiKey(apiKey) {
      const hit = auth.verifier.cached(apiKey)
      if (hit !== undefined) {
        return {
          ok: true,
          grant: {
            username: hit.username,
            keyId: hit.keyId,
            lookup: auth.verifier.lookupOf(apiKey),
          },
        }
      }
      const verdict = await auth.verifier.verify(apiKey)
      if (!verdict.ok) return verdict
      return {
        ok: true,
        grant: {
          username: verdict.key.username,
          keyId: verdict.key.keyId,
          lookup: auth.verifier.lookupOf(apiKey),
        },
      }
    },
    async isGrantValid(grant) {
      // checked once, at authentication, like the web session that minted it
      if (grant.feedToken) return true
      try {
        const row = await auth.store.apiKeys.findByLookup(grant.lookup)
        return row !== undefined && row.id === grant.keyId && row.username === grant.username
      } catch {
        // a busy database is no proof of revocation: keep the socket, check again next change
        return true
      }
    },
    brokerOf(username) {
      const session = auth.brokerSessions.get(username)
      if (session !== null) {
        return {
          broker: session.broker,
          session: {
            authToken: session.authToken,
            ...(session.feedToken === null ? {} : { feedToken: session.feedToken }),
            ...(session.brokerUserId === null ? {} : { brokerUserId: session.brokerUserId }),
          },
        }
      }
      return options.sessionlessBroker === null
        ? null
        : { broker: options.sessionlessBroker, session: SESSIONLESS }
    },
    poll() {
      const before = auth.watcher.epochs[AUTH_EPOCH] ?? ''
      auth.watcher.check()
      auth.verifier.tick()
      return (auth.watcher.epochs[AUTH_EPOCH] ?? '') !== before
    },
    invalidate(username) {
      if (username === undefined) {
        auth.verifier.invalidateAll()
        auth.brokerSessions.clear()
      } else {
        auth.verifier.invalidateUser(username)
        auth.brokerSessions.invalidate(username)
      }
    },
  }
}
