import type { BrokerContext, BrokerCredentials, BrokerPlugin, BrokerSession } from './contract.js'
import type { Clock, Logger, Random, Timers } from './deps.js'
import { createHttpClient } from './http-client.js'
import type { HttpClientOptions } from './http-client.js'
import type { RateLimiter } from './http-types.js'
import { createRateLimiter } from './rate-limiter.js'
import { createRedactor } from './redact.js'
import type { Redactor } from './redact.js'
import type { SymbolResolver } from './symbols.js'

/** Options of {@link createBrokerContext}. */
export interface BrokerContextOptions {
  plugin: Pick<BrokerPlugin, 'manifest'>
  credentials: BrokerCredentials
  symbols: SymbolResolver
  session?: BrokerSession | undefined
  /** the host's session re-reader (see {@link BrokerContext.refreshSession}) */
  refreshSession?: (() => Promise<BrokerSession | undefined>) | undefined
  clock: Clock
  timers: Timers
  logger: Logger
  /** per-endpoint base URL overrides (a test points them all at its mock server) */
  endpoints?: Readonly<Record<string, string>> | undefined
  /**
   * The account's limiter. Keep one per account across logins (pass it back in) so a new session
   * does not reset the budget; when omitted one is built from `manifest.rateLimits`.
   */
  limiter?: RateLimiter | undefined
  /** false: no rate limiting (offline brokers, unit tests) */
  rateLimit?: boolean | undefined
  fetch?: typeof fetch | undefined
  random?: Random | undefined
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined
  /** HTTP defaults (timeouts, retries, backoff, constant headers) */
  http?:
    | Pick<
        HttpClientOptions,
        'timeoutMs' | 'maxRetries' | 'backoff' | 'maxRetryAfterMs' | 'headers'
      >
    | undefined
}

/** Everything secret about one account, for redaction. */
export function accountSecrets(credentials: BrokerCredentials, session?: BrokerSession): string[] {
  const out = [
    credentials.apiKey,
    credentials.apiSecret,
    credentials.marketApiKey,
    credentials.marketApiSecret,
  ]
  // compound keys (`client:::key`): redact each part that looks like a secret
  for (const part of credentials.apiKey.split(':::')) out.push(part)
  if (session !== undefined) {
    out.push(session.authToken, session.feedToken)
    for (const part of session.authToken.split(':')) out.push(part)
  }
  return out.filter((s): s is string => typeof s === 'string' && s.length >= 6)
}

/**
 * Builds the {@link BrokerContext} a plugin's `createBroker` takes: resolved endpoints, the
 * account's limiter, and an HTTP client whose redactor knows the account's secrets. The host's
 * composition root calls this once per session; the conformance kit calls it against its mock.
 */
export function createBrokerContext(
  options: BrokerContextOptions,
): BrokerContext & { redactor: Redactor } {
  const { manifest } = options.plugin
  const endpoints = Object.freeze({ ...manifest.endpoints, ...options.endpoints })
  const redactor = createRedactor({ secrets: accountSecrets(options.credentials, options.session) })
  const limiter =
    options.rateLimit === false
      ? undefined
      : (options.limiter ??
        createRateLimiter({
          clock: options.clock,
          timers: options.timers,
          limits: manifest.rateLimits,
          sleep: options.sleep,
        }))
  const http = createHttpClient({
    brokerId: manifest.id,
    endpoints,
    clock: options.clock,
    timers: options.timers,
    logger: options.logger,
    limiter,
    redactor,
    fetch: options.fetch,
    random: options.random,
    sleep: options.sleep,
    ...options.http,
  })
  return {
    http,
    clock: options.clock,
    timers: options.timers,
    logger: options.logger.child({ broker: manifest.id }),
    ...(limiter === undefined ? {} : { limiter }),
    credentials: options.credentials,
    symbols: options.symbols,
    ...(options.session === undefined ? {} : { session: options.session }),
    ...(options.refreshSession === undefined ? {} : { refreshSession: options.refreshSession }),
    endpoints,
    redactor,
  }
}
