/**
 * The typed, validated configuration `@oa/env-check` returns. Every field is derived from one
 * variable of `.env` / the process environment (names in the comments); consumers receive the
 * slice they need and never read the environment themselves.
 */

/** One parsed rate limit: `count` requests per `per`. */
export interface RateLimitRule {
  readonly count: number
  readonly per: 'second' | 'minute' | 'hour' | 'day'
}

/** A rate-limit variable: the original text plus its parsed rules (compound limits give several). */
export interface RateLimit {
  readonly text: string
  readonly rules: readonly RateLimitRule[]
}

/** Wall-clock time of day in IST. */
export interface TimeOfDay {
  readonly hour: number
  readonly minute: number
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal'

export interface OaConfig {
  /** ENV_CONFIG_VERSION as written in `.env`. */
  readonly envConfigVersion: string
  readonly broker: {
    /** BROKER_API_KEY */
    readonly apiKey: string
    /** BROKER_API_SECRET */
    readonly apiSecret: string
    /** BROKER_API_KEY_MARKET (XTS brokers); '' when unset */
    readonly apiKeyMarket: string
    /** BROKER_API_SECRET_MARKET; '' when unset */
    readonly apiSecretMarket: string
    /** REDIRECT_URL */
    readonly redirectUrl: string
    /** lower-cased `<broker>` segment of REDIRECT_URL, e.g. `simulator` */
    readonly name: string
    /** VALID_BROKERS, trimmed and lower-cased */
    readonly validBrokers: readonly string[]
  }
  readonly secrets: {
    /** APP_KEY (>= 32 chars) */
    readonly appKey: string
    /** API_KEY_PEPPER (>= 32 chars) */
    readonly apiKeyPepper: string
    /** FERNET_SALT as hex (>= 32 hex chars), or null when absent: the legacy static salt applies */
    readonly fernetSalt: string | null
  }
  readonly server: {
    /** HOST_SERVER, e.g. `http://127.0.0.1:5000` */
    readonly hostServer: string
    /** true when HOST_SERVER starts with https:// */
    readonly isHttps: boolean
    /** FLASK_HOST_IP */
    readonly host: string
    /** FLASK_PORT */
    readonly port: number
    /** FLASK_DEBUG */
    readonly debug: boolean
    /** FLASK_ENV */
    readonly env: 'development' | 'production'
    /** FLASK_DEBUG_ALLOW_EXTERNAL */
    readonly debugAllowExternal: boolean
    /** NGROK_ALLOW */
    readonly ngrokAllow: boolean
  }
  readonly storage: {
    /** OA_DATA_DIR, absolute */
    readonly dataDir: string
    /** absolute paths of the SQLite files, from the *_DATABASE_URL variables */
    readonly mainDb: string
    readonly logsDb: string
    readonly latencyDb: string
    readonly healthDb: string
    readonly sandboxDb: string
  }
  readonly websocket: {
    /** WEBSOCKET_HOST */
    readonly host: string
    /** WEBSOCKET_PORT */
    readonly port: number
    /** WEBSOCKET_URL */
    readonly url: string
    /** WS_AUTH_GRACE_SECONDS */
    readonly authGraceSeconds: number
    /** WS_MAX_QUEUE */
    readonly maxQueue: number
    /** WS_PING_INTERVAL */
    readonly pingIntervalSeconds: number
    /** WS_PING_TIMEOUT */
    readonly pingTimeoutSeconds: number
    /** WS_STALE_TICK_WARN_SECONDS */
    readonly staleTickWarnSeconds: number
    /** MAX_SYMBOLS_PER_WEBSOCKET */
    readonly maxSymbolsPerConnection: number
    /** MAX_WEBSOCKET_CONNECTIONS */
    readonly maxConnections: number
    /** ENABLE_CONNECTION_POOLING */
    readonly connectionPooling: boolean
    /** ORDER_UPDATES_ENABLED */
    readonly orderUpdatesEnabled: boolean
    /** ORDER_POLL_INTERVAL */
    readonly orderPollIntervalSeconds: number
  }
  readonly logging: {
    /** LOG_TO_FILE */
    readonly toFile: boolean
    /** LOG_LEVEL mapped to pino levels (WARNING → warn, CRITICAL → fatal) */
    readonly level: LogLevel
    /** LOG_DIR, absolute */
    readonly dir: string
    /** LOG_RETENTION (days) */
    readonly retentionDays: number
    /** TRAFFIC_LOG_RETENTION_DAYS */
    readonly trafficRetentionDays: number
    /** LOG_COLORS */
    readonly colors: boolean
  }
  readonly rateLimits: {
    readonly loginPerMinute: RateLimit
    readonly loginPerHour: RateLimit
    readonly reset: RateLimit
    readonly api: RateLimit
    readonly order: RateLimit
    readonly smartOrder: RateLimit
    readonly webhook: RateLimit
    readonly strategy: RateLimit
    readonly greeks: RateLimit
  }
  readonly session: {
    /** SESSION_EXPIRY_TIME (IST) */
    readonly expiryTime: TimeOfDay
    /** DISABLE_SESSION_EXPIRY */
    readonly disableExpiry: boolean
    /** MASTER_CONTRACT_CUTOFF_TIME (IST) */
    readonly masterContractCutoff: TimeOfDay
    /** CRYPTO_MASTER_CONTRACT_CUTOFF_TIME (UTC) */
    readonly cryptoMasterContractCutoff: TimeOfDay
  }
  readonly security: {
    readonly cors: {
      readonly enabled: boolean
      readonly allowedOrigins: readonly string[]
      readonly allowedMethods: readonly string[]
      readonly allowedHeaders: readonly string[]
      readonly exposedHeaders: readonly string[]
      readonly allowCredentials: boolean
      readonly maxAgeSeconds: number | null
    }
    readonly csp: {
      readonly enabled: boolean
      readonly reportOnly: boolean
      /** directive name (e.g. `default-src`) → value, in emission order; unset directives absent */
      readonly directives: readonly (readonly [string, string])[]
      readonly upgradeInsecureRequests: boolean
    }
    readonly csrf: {
      readonly enabled: boolean
      /** CSRF_TIME_LIMIT seconds, null = valid for the session */
      readonly timeLimitSeconds: number | null
    }
    /** SESSION_COOKIE_NAME, already `__Secure-` prefixed when HOST_SERVER is https */
    readonly sessionCookieName: string
    /** TRUST_PROXY_HEADERS */
    readonly trustProxyHeaders: boolean
    /** REFERRER_POLICY */
    readonly referrerPolicy: string
    /** PERMISSIONS_POLICY */
    readonly permissionsPolicy: string
  }
  readonly simulator: {
    /** OA_SIMULATOR_SEED */
    readonly seed: number
  }
}

/** One thing wrong with the environment: which variable, what was found (secrets masked), how to fix it. */
export interface EnvProblem {
  readonly variable: string
  /** the offending value, masked when the variable is a secret; `(missing)` when absent */
  readonly found: string
  readonly message: string
  readonly fix: string
}

/** Something the operator should know but that does not stop startup. */
export interface EnvWarning {
  readonly variable: string | null
  readonly message: string
}

export type EnvCheckResult =
  | { readonly ok: true; readonly config: OaConfig; readonly warnings: readonly EnvWarning[] }
  | {
      readonly ok: false
      readonly problems: readonly EnvProblem[]
      readonly warnings: readonly EnvWarning[]
    }
