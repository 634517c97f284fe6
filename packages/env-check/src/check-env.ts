// The pure core: raw variables in, every problem (one per variable, no cascades) or a frozen
// config out. No file I/O; loadEnv does the reading.
import { resolve } from 'node:path'
import { checkBrokerApiKey } from './brokers.js'
import { secretExposure } from './constants.js'
import { buildCspDirectives, cspHeaderValue } from './csp.js'
import { parseDotenv, type DotenvSyntaxError } from './dotenv.js'
import { envRegistry, type IssueParams } from './fields.js'
import { deepFreeze } from './freeze.js'
import { describeFound } from './mask.js'
import type { FernetSaltState, Lenient } from './rules.js'
import { envSchema, type EnvValues, type EnvVariableName } from './schema.js'
import { resolveSqlitePath } from './storage.js'
import type { EnvCheckResult, EnvProblem, EnvWarning, OaConfig } from './types.js'
import { checkConfigVersion } from './version.js'

export interface CheckEnvInput {
  /** the repository root: base of OA_DATA_DIR and LOG_DIR when they are relative */
  readonly rootDir: string
  /** variables parsed from `.env`, or null when the file does not exist */
  readonly fileVars: ReadonlyMap<string, string> | null
  /** the real process environment; its values override the file's */
  readonly processEnv: Readonly<Record<string, string | undefined>>
  /** text of `.sample.env` for the ENV_CONFIG_VERSION comparison, null when absent */
  readonly sampleText: string | null
  /** lines of `.env` the parser had to skip (reported as warnings) */
  readonly fileSyntaxErrors?: readonly DotenvSyntaxError[]
}

const NAMES = Object.keys(envSchema.shape) as EnvVariableName[]
const ORDER = new Map<string, number>(NAMES.map((n, i) => [n, i]))
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

/** Every variable name the schema knows, in reference-table order. */
export function knownVariableNames(): readonly EnvVariableName[] {
  return NAMES
}

/** File values overlaid by the process environment (process env wins, also when it is empty). */
export function mergeSources(
  fileVars: ReadonlyMap<string, string> | null,
  processEnv: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const raw: Record<string, string | undefined> = {}
  for (const name of NAMES) raw[name] = processEnv[name] ?? fileVars?.get(name)
  return raw
}

function problemFromIssue(
  name: string,
  raw: string | undefined,
  message: string,
  params: IssueParams | undefined,
): EnvProblem {
  return {
    code: params?.code ?? 'invalid',
    variable: name,
    found: params?.found ?? describeFound(name, raw),
    message,
    fix: params?.fix ?? 'See .sample.env for the expected format.',
  }
}

/**
 * Validates the merged environment: returns every problem at once, one per variable, or the frozen
 * config. Warnings (outdated version, legacy salt, process-env overrides...) come either way.
 */
export function checkEnv(input: CheckEnvInput): EnvCheckResult {
  const raw = mergeSources(input.fileVars, input.processEnv)
  const problems: EnvProblem[] = []
  const warnings: EnvWarning[] = []
  const failed = new Set<string>()
  const values: Partial<Record<EnvVariableName, unknown>> = {}

  const fail = (p: EnvProblem): void => {
    if (failed.has(p.variable)) return
    failed.add(p.variable)
    problems.push(p)
  }

  for (const e of input.fileSyntaxErrors ?? []) {
    warnings.push({
      code: 'dotenv_syntax',
      severity: 'warn',
      variable: e.key,
      message: `line ${e.line} of .env could not be parsed and was ignored; write NAME = 'value'`,
    })
  }

  // The whole file missing would otherwise show as one "missing" problem per required variable.
  let collapseMissing = false
  if (input.fileVars === null || input.fileVars.size === 0) {
    const what = input.fileVars === null ? 'does not exist' : 'sets no variables'
    const missingRequired = NAMES.filter(
      (n) => raw[n] === undefined && envRegistry.get(envSchema.shape[n])?.required === true,
    )
    if (missingRequired.length > 0) {
      collapseMissing = true
      fail({
        code: 'env_file_missing',
        variable: '.env',
        found: input.fileVars === null ? '(missing)' : '(empty)',
        message: `the .env file ${what} and the process environment lacks ${missingRequired.length} required variable${missingRequired.length === 1 ? '' : 's'}`,
        fix: "Run 'pnpm oa start' once (it writes .env from .sample.env with fresh secrets), or copy .sample.env to .env.",
      })
    } else {
      warnings.push({
        code: 'no_env_file',
        severity: 'info',
        variable: null,
        message: `the .env file ${what}: every variable comes from the process environment`,
      })
    }
  }

  for (const name of NAMES) {
    const result = envSchema.shape[name].safeParse(raw[name])
    if (result.success) {
      values[name] = result.data
      continue
    }
    const issue = result.error.issues[0]
    const params = (issue as { params?: IssueParams } | undefined)?.params
    if (collapseMissing && params?.code === 'missing') continue
    fail(problemFromIssue(name, raw[name], issue?.message ?? 'is invalid', params))
  }

  const v = values as Partial<EnvValues>
  crossFieldChecks(v, raw, fail)

  warnings.push(...overrideNotices(input.fileVars, input.processEnv))
  const sampleVersion =
    input.sampleText === null ? undefined : parseDotenv(input.sampleText).get('ENV_CONFIG_VERSION')
  if (input.sampleText === null) {
    warnings.push({
      code: 'sample_missing',
      severity: 'warn',
      variable: null,
      message: '.sample.env not found: cannot check ENV_CONFIG_VERSION for missing settings',
    })
  }
  warnings.push(...checkConfigVersion(raw['ENV_CONFIG_VERSION'], sampleVersion))
  warnings.push(...valueWarnings(v))

  if (problems.length > 0) {
    problems.sort((a, b) => (ORDER.get(a.variable) ?? -1) - (ORDER.get(b.variable) ?? -1))
    return { ok: false, problems, warnings }
  }
  return { ok: true, config: buildConfig(v as EnvValues, input.rootDir), warnings }
}

function crossFieldChecks(
  v: Partial<EnvValues>,
  raw: Record<string, string | undefined>,
  fail: (p: EnvProblem) => void,
): void {
  // §2.6 step 5: the broker segment must be one of VALID_BROKERS
  let broker: string | undefined
  if (v.REDIRECT_URL && v.VALID_BROKERS) {
    if (v.VALID_BROKERS.includes(v.REDIRECT_URL.broker)) {
      broker = v.REDIRECT_URL.broker
    } else {
      fail({
        code: 'invalid',
        variable: 'REDIRECT_URL',
        found: describeFound('REDIRECT_URL', raw['REDIRECT_URL']),
        message: `Invalid broker name in REDIRECT_URL: '${v.REDIRECT_URL.broker}' is not in VALID_BROKERS`,
        fix: `Use one of: ${[...v.VALID_BROKERS].sort().join(', ')} (or add it to VALID_BROKERS).`,
      })
    }
  }

  // §2.5: BROKER_API_KEY's shape depends on the broker
  if (broker !== undefined && v.BROKER_API_KEY !== undefined) {
    const p = checkBrokerApiKey(broker, v.BROKER_API_KEY)
    if (p) fail({ code: 'invalid', variable: 'BROKER_API_KEY', ...p })
  }

  // §1.3 debug guard: debug mode must not be reachable from the network
  if (
    v.FLASK_DEBUG === true &&
    v.FLASK_HOST_IP !== undefined &&
    v.FLASK_DEBUG_ALLOW_EXTERNAL === false &&
    !LOOPBACK.has(v.FLASK_HOST_IP)
  ) {
    fail({
      code: 'invalid',
      variable: 'FLASK_DEBUG',
      found: describeFound('FLASK_DEBUG', raw['FLASK_DEBUG']),
      message: `debug mode is on while FLASK_HOST_IP is ${JSON.stringify(v.FLASK_HOST_IP)}, reachable from the network`,
      fix: "Set FLASK_DEBUG = 'False', or FLASK_HOST_IP = '127.0.0.1', or on a trusted LAN only FLASK_DEBUG_ALLOW_EXTERNAL = 'true'.",
    })
  }

  // A browser refuses credentials with a wildcard origin; the original's library would instead
  // reflect any origin, which is worse.
  if (
    v.CORS_ENABLED === true &&
    v.CORS_ALLOW_CREDENTIALS === true &&
    v.CORS_ALLOWED_ORIGINS !== undefined &&
    (v.CORS_ALLOWED_ORIGINS === null || v.CORS_ALLOWED_ORIGINS.includes('*'))
  ) {
    fail({
      code: 'invalid',
      variable: 'CORS_ALLOW_CREDENTIALS',
      found: describeFound('CORS_ALLOW_CREDENTIALS', raw['CORS_ALLOW_CREDENTIALS']),
      message: "cannot be TRUE while CORS_ALLOWED_ORIGINS allows any origin ('*' or unset)",
      fix: "List the exact origins in CORS_ALLOWED_ORIGINS, or set CORS_ALLOW_CREDENTIALS = 'FALSE'.",
    })
  }

  const pairs: [EnvVariableName, EnvVariableName][] = [
    ['HEALTH_FD_WARNING_THRESHOLD', 'HEALTH_FD_CRITICAL_THRESHOLD'],
    ['HEALTH_MEMORY_WARNING_THRESHOLD', 'HEALTH_MEMORY_CRITICAL_THRESHOLD'],
    ['HEALTH_DB_WARNING_THRESHOLD', 'HEALTH_DB_CRITICAL_THRESHOLD'],
    ['HEALTH_WS_WARNING_THRESHOLD', 'HEALTH_WS_CRITICAL_THRESHOLD'],
    ['HEALTH_THREAD_WARNING_THRESHOLD', 'HEALTH_THREAD_CRITICAL_THRESHOLD'],
  ]
  for (const [warn, crit] of pairs) {
    const w = v[warn]
    const c = v[crit]
    if (typeof w === 'number' && typeof c === 'number' && w > c) {
      fail({
        code: 'invalid',
        variable: warn,
        found: describeFound(warn, raw[warn]),
        message: `must not be above ${crit} (${c})`,
        fix: `Lower ${warn} or raise ${crit}.`,
      })
    }
  }
}

function overrideNotices(
  fileVars: ReadonlyMap<string, string> | null,
  processEnv: Readonly<Record<string, string | undefined>>,
): EnvWarning[] {
  if (!fileVars) return []
  const overridden = NAMES.filter((n) => {
    const fromEnv = processEnv[n]
    const fromFile = fileVars.get(n)
    return fromEnv !== undefined && fromFile !== undefined && fromEnv !== fromFile
  })
  if (overridden.length === 0) return []
  return [
    {
      code: 'env_override',
      severity: 'info',
      variable: null,
      message: `the process environment overrides .env for ${overridden.join(', ')}`,
    },
  ]
}

function valueWarnings(v: Partial<EnvValues>): EnvWarning[] {
  const out: EnvWarning[] = []
  if (v.API_KEY_PEPPER !== undefined && secretExposure(v.API_KEY_PEPPER) !== 'ok') {
    out.push({
      code: 'compromised_pepper',
      severity: 'warn',
      variable: 'API_KEY_PEPPER',
      message:
        "is the public sample value and a user already exists, so it was not replaced (that would make stored passwords and tokens unreadable). Treat stored broker tokens, API keys and TOTP secrets as exposed. If logins fail with 'Invalid credentials', restore API_KEY_PEPPER and FERNET_SALT from the .env you set up with; otherwise rotate the pepper deliberately and reset the password, or on a throwaway install delete the main database and restart",
    })
  }
  const salt = v.FERNET_SALT as FernetSaltState | null | undefined
  if (salt === null || (salt !== undefined && salt.kind !== 'valid')) {
    const why =
      salt === null
        ? 'is not set'
        : salt.kind === 'placeholder'
          ? 'is still the .sample.env placeholder'
          : `is not at least 32 hex characters (found ${salt.found})`
    out.push({
      code: 'legacy_fernet_salt',
      severity: 'warn',
      variable: 'FERNET_SALT',
      message: `${why}: stored broker tokens are encrypted with the legacy static salt shared by every install; 'pnpm oa start' provisions a per-install salt`,
    })
  }
  const lenient: [EnvVariableName, Lenient<unknown> | undefined][] = [
    ['MASTER_CONTRACT_CUTOFF_TIME', v.MASTER_CONTRACT_CUTOFF_TIME],
    ['CRYPTO_MASTER_CONTRACT_CUTOFF_TIME', v.CRYPTO_MASTER_CONTRACT_CUTOFF_TIME],
    ['BROKER_KEEPALIVE_WINDOW', v.BROKER_KEEPALIVE_WINDOW],
  ]
  for (const [name, value] of lenient) {
    if (value?.warning) {
      out.push({
        code: 'invalid_value_default_used',
        severity: 'warn',
        variable: name,
        message: value.warning,
      })
    }
  }
  if (v.CSP_ENABLED !== false && v.CSP_SCRIPT_SRC?.includes("'unsafe-inline'")) {
    out.push({
      code: 'weak_csp',
      severity: 'warn',
      variable: 'CSP_SCRIPT_SRC',
      message:
        "allows 'unsafe-inline', which lets injected scripts run; oa's pages need only \"'self'\"",
    })
  }
  return out
}

function buildConfig(v: EnvValues, rootDir: string): OaConfig {
  const dataDir = resolve(rootDir, v.OA_DATA_DIR)
  const hostServer = v.HOST_SERVER
  const isHttps = hostServer.toLowerCase().startsWith('https://')
  const salt = v.FERNET_SALT as FernetSaltState | null
  const cspValues: Record<string, string | null> = {
    CSP_DEFAULT_SRC: v.CSP_DEFAULT_SRC,
    CSP_SCRIPT_SRC: v.CSP_SCRIPT_SRC,
    CSP_STYLE_SRC: v.CSP_STYLE_SRC,
    CSP_IMG_SRC: v.CSP_IMG_SRC,
    CSP_CONNECT_SRC: v.CSP_CONNECT_SRC,
    CSP_FONT_SRC: v.CSP_FONT_SRC,
    CSP_OBJECT_SRC: v.CSP_OBJECT_SRC,
    CSP_MEDIA_SRC: v.CSP_MEDIA_SRC,
    CSP_FRAME_SRC: v.CSP_FRAME_SRC,
    CSP_CHILD_SRC: v.CSP_CHILD_SRC,
    CSP_FORM_ACTION: v.CSP_FORM_ACTION,
    CSP_BASE_URI: v.CSP_BASE_URI,
    CSP_FRAME_ANCESTORS: v.CSP_FRAME_ANCESTORS,
    CSP_REPORT_URI: v.CSP_REPORT_URI,
    CSP_REPORT_TO: v.CSP_REPORT_TO,
  }
  const directives = v.CSP_ENABLED
    ? buildCspDirectives(cspValues, v.CSP_UPGRADE_INSECURE_REQUESTS)
    : []
  const corsEnabled = v.CORS_ENABLED
  const config: OaConfig = {
    envConfigVersion: v.ENV_CONFIG_VERSION,
    broker: {
      apiKey: v.BROKER_API_KEY,
      apiSecret: v.BROKER_API_SECRET,
      apiKeyMarket: v.BROKER_API_KEY_MARKET,
      apiSecretMarket: v.BROKER_API_SECRET_MARKET,
      redirectUrl: v.REDIRECT_URL.url,
      name: v.REDIRECT_URL.broker,
      validBrokers: v.VALID_BROKERS,
      keepAlive: {
        enabled: v.BROKER_CONNECTION_KEEPALIVE,
        intervalSeconds: Math.max(5, v.BROKER_KEEPALIVE_INTERVAL),
        window: v.BROKER_KEEPALIVE_WINDOW.value,
      },
    },
    secrets: {
      appKey: v.APP_KEY,
      apiKeyPepper: v.API_KEY_PEPPER,
      fernetSalt: salt?.kind === 'valid' ? salt.salt : null,
    },
    server: {
      hostServer,
      isHttps,
      host: v.FLASK_HOST_IP,
      port: v.FLASK_PORT,
      debug: v.FLASK_DEBUG,
      env: v.FLASK_ENV,
      debugAllowExternal: v.FLASK_DEBUG_ALLOW_EXTERNAL,
      ngrokAllow: v.NGROK_ALLOW,
    },
    storage: {
      dataDir,
      mainDb: resolveSqlitePath(v.DATABASE_URL, dataDir),
      logsDb: resolveSqlitePath(v.LOGS_DATABASE_URL, dataDir),
      latencyDb: resolveSqlitePath(v.LATENCY_DATABASE_URL, dataDir),
      healthDb: resolveSqlitePath(v.HEALTH_DATABASE_URL, dataDir),
      sandboxDb: resolveSqlitePath(v.SANDBOX_DATABASE_URL, dataDir),
    },
    websocket: {
      host: v.WEBSOCKET_HOST,
      port: v.WEBSOCKET_PORT,
      url: v.WEBSOCKET_URL,
      authGraceSeconds: v.WS_AUTH_GRACE_SECONDS,
      maxQueue: v.WS_MAX_QUEUE,
      pingIntervalSeconds: v.WS_PING_INTERVAL,
      pingTimeoutSeconds: v.WS_PING_TIMEOUT,
      staleTickWarnSeconds: v.WS_STALE_TICK_WARN_SECONDS,
      maxSymbolsPerConnection: v.MAX_SYMBOLS_PER_WEBSOCKET,
      maxConnections: v.MAX_WEBSOCKET_CONNECTIONS,
      connectionPooling: v.ENABLE_CONNECTION_POOLING,
      orderUpdatesEnabled: v.ORDER_UPDATES_ENABLED,
      orderPollIntervalSeconds: v.ORDER_POLL_INTERVAL,
    },
    logging: {
      toFile: v.LOG_TO_FILE,
      level: v.LOG_LEVEL,
      dir: resolve(rootDir, v.LOG_DIR),
      format: v.LOG_FORMAT,
      retentionDays: v.LOG_RETENTION,
      trafficRetentionDays: v.TRAFFIC_LOG_RETENTION_DAYS,
      colors: v.LOG_COLORS,
    },
    rateLimits: {
      loginPerMinute: v.LOGIN_RATE_LIMIT_MIN,
      loginPerHour: v.LOGIN_RATE_LIMIT_HOUR,
      reset: v.RESET_RATE_LIMIT,
      api: v.API_RATE_LIMIT,
      order: v.ORDER_RATE_LIMIT,
      smartOrder: v.SMART_ORDER_RATE_LIMIT,
      webhook: v.WEBHOOK_RATE_LIMIT,
      strategy: v.STRATEGY_RATE_LIMIT,
      greeks: v.GREEKS_RATE_LIMIT,
      portfolioApi: v.PORTFOLIO_API_RATE_LIMIT,
      portfolioTearsheet: v.PORTFOLIO_TEARSHEET_RATE_LIMIT,
      sipApi: v.SIP_API_RATE_LIMIT,
      strategyChart: v.STRATEGY_CHART_LIMIT,
      strategyPortfolioRead: v.STRATEGY_PORTFOLIO_READ_LIMIT,
      strategyPortfolioWrite: v.STRATEGY_PORTFOLIO_WRITE_LIMIT,
    },
    session: {
      expiryTime: v.SESSION_EXPIRY_TIME,
      disableExpiry: v.DISABLE_SESSION_EXPIRY,
      masterContractCutoff: v.MASTER_CONTRACT_CUTOFF_TIME.value,
      cryptoMasterContractCutoff: v.CRYPTO_MASTER_CONTRACT_CUTOFF_TIME.value,
    },
    security: {
      // W-10: disabled means no CORS at all, so the lists are only filled when enabled
      cors: {
        enabled: corsEnabled,
        allowedOrigins: corsEnabled ? (v.CORS_ALLOWED_ORIGINS ?? ['*']) : [],
        allowedMethods: corsEnabled
          ? (v.CORS_ALLOWED_METHODS ?? ['GET', 'HEAD', 'POST', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'])
          : [],
        allowedHeaders: corsEnabled ? (v.CORS_ALLOWED_HEADERS ?? ['*']) : [],
        exposedHeaders: corsEnabled ? (v.CORS_EXPOSED_HEADERS ?? []) : [],
        allowCredentials: corsEnabled && v.CORS_ALLOW_CREDENTIALS,
        maxAgeSeconds: corsEnabled ? v.CORS_MAX_AGE : null,
      },
      csp: {
        enabled: v.CSP_ENABLED,
        reportOnly: v.CSP_REPORT_ONLY,
        directives,
        upgradeInsecureRequests: v.CSP_ENABLED && v.CSP_UPGRADE_INSECURE_REQUESTS,
        headerName: v.CSP_REPORT_ONLY
          ? 'Content-Security-Policy-Report-Only'
          : 'Content-Security-Policy',
        headerValue: cspHeaderValue(directives),
      },
      csrf: {
        enabled: v.CSRF_ENABLED,
        timeLimitSeconds: v.CSRF_TIME_LIMIT,
        cookieName: isHttps ? `__Secure-${v.CSRF_COOKIE_NAME}` : v.CSRF_COOKIE_NAME,
      },
      sessionCookieName: isHttps ? `__Secure-${v.SESSION_COOKIE_NAME}` : v.SESSION_COOKIE_NAME,
      trustProxyHeaders: v.TRUST_PROXY_HEADERS,
      referrerPolicy: v.REFERRER_POLICY,
      permissionsPolicy: v.PERMISSIONS_POLICY,
    },
    health: {
      enabled: v.HEALTH_MONITOR_ENABLED,
      sampleIntervalSeconds: v.HEALTH_SAMPLE_INTERVAL,
      retentionDays: v.HEALTH_RETENTION_DAYS,
      fd: { warning: v.HEALTH_FD_WARNING_THRESHOLD, critical: v.HEALTH_FD_CRITICAL_THRESHOLD },
      memoryMb: {
        warning: v.HEALTH_MEMORY_WARNING_THRESHOLD,
        critical: v.HEALTH_MEMORY_CRITICAL_THRESHOLD,
      },
      db: { warning: v.HEALTH_DB_WARNING_THRESHOLD, critical: v.HEALTH_DB_CRITICAL_THRESHOLD },
      ws: { warning: v.HEALTH_WS_WARNING_THRESHOLD, critical: v.HEALTH_WS_CRITICAL_THRESHOLD },
      threads: {
        warning: v.HEALTH_THREAD_WARNING_THRESHOLD,
        critical: v.HEALTH_THREAD_CRITICAL_THRESHOLD,
      },
    },
    simulator: { seed: v.OA_SIMULATOR_SEED, extraStrikes: v.OA_SIMULATOR_EXTRA_STRIKES },
  }
  return deepFreeze(config)
}
