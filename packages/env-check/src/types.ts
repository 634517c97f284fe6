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

/** Wall-clock time of day (IST unless the field says otherwise). */
export interface TimeOfDay {
  readonly hour: number
  readonly minute: number
}

/** pino level names; LOG_LEVEL's WARNING and CRITICAL map to `warn` and `fatal`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal'

/** A warning/critical pair of health-monitor thresholds. */
export interface HealthThreshold {
  readonly warning: number
  readonly critical: number
}

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
    /** keep-warm pings to the broker's API origin */
    readonly keepAlive: {
      /** BROKER_CONNECTION_KEEPALIVE */
      readonly enabled: boolean
      /** BROKER_KEEPALIVE_INTERVAL, floored at 5 s as the original does */
      readonly intervalSeconds: number
      /** BROKER_KEEPALIVE_WINDOW (IST, Monday to Friday), inclusive */
      readonly window: { readonly start: TimeOfDay; readonly end: TimeOfDay }
    }
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
    /** FLASK_ENV (validated for compatibility; nothing else reads it) */
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
    /** LOG_FORMAT (Python logging syntax; kept for compatibility, pino ignores it) */
    readonly format: string
    /** LOG_RETENTION (days) */
    readonly retentionDays: number
    /** TRAFFIC_LOG_RETENTION_DAYS */
    readonly trafficRetentionDays: number
    /** LOG_COLORS */
    readonly colors: boolean
  }
  readonly rateLimits: {
    /** LOGIN_RATE_LIMIT_MIN */
    readonly loginPerMinute: RateLimit
    /** LOGIN_RATE_LIMIT_HOUR */
    readonly loginPerHour: RateLimit
    /** RESET_RATE_LIMIT */
    readonly reset: RateLimit
    /** API_RATE_LIMIT */
    readonly api: RateLimit
    /** ORDER_RATE_LIMIT */
    readonly order: RateLimit
    /** SMART_ORDER_RATE_LIMIT */
    readonly smartOrder: RateLimit
    /** WEBHOOK_RATE_LIMIT */
    readonly webhook: RateLimit
    /** STRATEGY_RATE_LIMIT */
    readonly strategy: RateLimit
    /** GREEKS_RATE_LIMIT */
    readonly greeks: RateLimit
    /** PORTFOLIO_API_RATE_LIMIT */
    readonly portfolioApi: RateLimit
    /** PORTFOLIO_TEARSHEET_RATE_LIMIT */
    readonly portfolioTearsheet: RateLimit
    /** SIP_API_RATE_LIMIT */
    readonly sipApi: RateLimit
    /** STRATEGY_CHART_LIMIT */
    readonly strategyChart: RateLimit
    /** STRATEGY_PORTFOLIO_READ_LIMIT */
    readonly strategyPortfolioRead: RateLimit
    /** STRATEGY_PORTFOLIO_WRITE_LIMIT */
    readonly strategyPortfolioWrite: RateLimit
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
    /** CORS for `/api/*`; disabled means no CORS headers at all (not "any origin", W-10) */
    readonly cors: {
      /** CORS_ENABLED */
      readonly enabled: boolean
      /** CORS_ALLOWED_ORIGINS; `['*']` when enabled and unset (the library default) */
      readonly allowedOrigins: readonly string[]
      /** CORS_ALLOWED_METHODS */
      readonly allowedMethods: readonly string[]
      /** CORS_ALLOWED_HEADERS; `['*']` when enabled and unset */
      readonly allowedHeaders: readonly string[]
      /** CORS_EXPOSED_HEADERS */
      readonly exposedHeaders: readonly string[]
      /** CORS_ALLOW_CREDENTIALS */
      readonly allowCredentials: boolean
      /** CORS_MAX_AGE seconds, null = header omitted */
      readonly maxAgeSeconds: number | null
    }
    readonly csp: {
      /** CSP_ENABLED */
      readonly enabled: boolean
      /** CSP_REPORT_ONLY */
      readonly reportOnly: boolean
      /**
       * directive name (e.g. `default-src`) → value, in emission order (platform.md §7.3); unset
       * or empty directives are absent; `upgrade-insecure-requests` has the value '' (bare)
       */
      readonly directives: readonly (readonly [string, string])[]
      /** CSP_UPGRADE_INSECURE_REQUESTS */
      readonly upgradeInsecureRequests: boolean
      /** `Content-Security-Policy` or `Content-Security-Policy-Report-Only` */
      readonly headerName: 'Content-Security-Policy' | 'Content-Security-Policy-Report-Only'
      /** the directives joined with `; `; '' when CSP is disabled */
      readonly headerValue: string
    }
    readonly csrf: {
      /** CSRF_ENABLED */
      readonly enabled: boolean
      /** CSRF_TIME_LIMIT seconds, null = valid for the session */
      readonly timeLimitSeconds: number | null
      /** CSRF_COOKIE_NAME (inert in the original, W-11), `__Secure-` prefixed on https */
      readonly cookieName: string
    }
    /** SESSION_COOKIE_NAME, already `__Secure-` prefixed when HOST_SERVER is https */
    readonly sessionCookieName: string
    /** TRUST_PROXY_HEADERS */
    readonly trustProxyHeaders: boolean
    /** REFERRER_POLICY; '' = header omitted */
    readonly referrerPolicy: string
    /** PERMISSIONS_POLICY; '' = header omitted */
    readonly permissionsPolicy: string
  }
  readonly health: {
    /** HEALTH_MONITOR_ENABLED */
    readonly enabled: boolean
    /** HEALTH_SAMPLE_INTERVAL */
    readonly sampleIntervalSeconds: number
    /** HEALTH_RETENTION_DAYS */
    readonly retentionDays: number
    /** HEALTH_FD_WARNING_THRESHOLD / HEALTH_FD_CRITICAL_THRESHOLD (open file descriptors) */
    readonly fd: HealthThreshold
    /** HEALTH_MEMORY_WARNING_THRESHOLD / HEALTH_MEMORY_CRITICAL_THRESHOLD (RSS, MB) */
    readonly memoryMb: HealthThreshold
    /** HEALTH_DB_WARNING_THRESHOLD / HEALTH_DB_CRITICAL_THRESHOLD (DB connections) */
    readonly db: HealthThreshold
    /** HEALTH_WS_WARNING_THRESHOLD / HEALTH_WS_CRITICAL_THRESHOLD (WebSocket connections) */
    readonly ws: HealthThreshold
    /** HEALTH_THREAD_WARNING_THRESHOLD / HEALTH_THREAD_CRITICAL_THRESHOLD */
    readonly threads: HealthThreshold
  }
  readonly simulator: {
    /** OA_SIMULATOR_SEED */
    readonly seed: number
    /** OA_SIMULATOR_EXTRA_STRIKES: strikes added on each side of every option chain */
    readonly extraStrikes: number
  }
}

/**
 * Why a problem stops startup. Suggested exit codes for the app: `compromised_secret` and
 * `fernet_salt_lost` → 3 (secrets unsafe), `env_write_failed` → 3, everything else → 2.
 */
export type EnvProblemCode =
  | 'missing'
  | 'invalid'
  | 'compromised_secret'
  | 'unsupported'
  | 'env_file_missing'
  | 'env_file_unreadable'
  | 'env_write_failed'
  | 'fernet_salt_lost'

/** One thing wrong with the environment: which variable, what was found (secrets masked), how to fix it. */
export interface EnvProblem {
  readonly code: EnvProblemCode
  /** the variable's name, or `.env` / `.sample.env` for file-level problems */
  readonly variable: string
  /** the offending value, masked when the variable is a secret; `(missing)` when absent */
  readonly found: string
  readonly message: string
  readonly fix: string
}

/** What a warning is about, so an app can filter or count them. */
export type EnvWarningCode =
  | 'env_override'
  | 'config_version_outdated'
  | 'config_version_newer'
  | 'config_version_missing'
  | 'config_version_unparsable'
  | 'sample_missing'
  | 'dotenv_syntax'
  | 'invalid_value_default_used'
  | 'compromised_pepper'
  | 'legacy_fernet_salt'
  | 'weak_csp'
  | 'no_env_file'
  | 'secret_rotated'
  | 'fernet_salt_written'
  | 'fernet_salt_write_failed'
  | 'fernet_salt_undecided'
  | 'env_file_created'

/** Something the operator should know but that does not stop startup. */
export interface EnvWarning {
  readonly code: EnvWarningCode
  /** `warn`: degraded or risky but handled; `info`: a notice (what was done, a newer version) */
  readonly severity: 'warn' | 'info'
  readonly variable: string | null
  /** one line; never contains a secret value */
  readonly message: string
}

export type EnvCheckResult =
  | { readonly ok: true; readonly config: OaConfig; readonly warnings: readonly EnvWarning[] }
  | {
      readonly ok: false
      readonly problems: readonly EnvProblem[]
      readonly warnings: readonly EnvWarning[]
    }
