// TEMPORARY minimal implementation so the server can be wired; the env-check work replaces it
// with the full schema of spec platform.md §2 while keeping these exported signatures.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import type { EnvCheckResult, EnvProblem, OaConfig, RateLimit, TimeOfDay } from './types.js'

export interface LoadEnvOptions {
  /** directory holding `.env` and `.sample.env` */
  readonly rootDir: string
  /** the real process environment; its values override the file */
  readonly processEnv: Readonly<Record<string, string | undefined>>
  /** path of the env file, default `<rootDir>/.env` */
  readonly envFile?: string
}

export interface CheckEnvInput {
  readonly rootDir: string
  /** variables parsed from `.env`, or null when the file does not exist */
  readonly fileVars: ReadonlyMap<string, string> | null
  readonly processEnv: Readonly<Record<string, string | undefined>>
  /** text of `.sample.env` for the ENV_CONFIG_VERSION comparison, null when absent */
  readonly sampleText: string | null
}

export interface EnsureEnvFileResult {
  readonly path: string
  /** true when `.env` did not exist and was written from `.sample.env` */
  readonly created: boolean
  /** names of the variables that received fresh random values */
  readonly generated: readonly string[]
}

export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line)
    if (!m) continue
    let value = m[2] ?? ''
    const q = value[0]
    if (q === "'" || q === '"') {
      const end = value.indexOf(q, 1)
      value = end > 0 ? value.slice(1, end) : value.slice(1)
    } else {
      value = value.replace(/\s+#.*$/, '').trim()
    }
    out.set(m[1]!, value)
  }
  return out
}

export function formatProblem(p: EnvProblem): string {
  return `${p.variable}: ${p.message} (found ${p.found}). ${p.fix}`
}

export function loadEnv(opts: LoadEnvOptions): EnvCheckResult {
  const envFile = opts.envFile ?? join(opts.rootDir, '.env')
  const fileVars = existsSync(envFile) ? parseDotenv(readFileSync(envFile, 'utf8')) : null
  const samplePath = join(opts.rootDir, '.sample.env')
  const sampleText = existsSync(samplePath) ? readFileSync(samplePath, 'utf8') : null
  return checkEnv({ rootDir: opts.rootDir, fileVars, processEnv: opts.processEnv, sampleText })
}

const PLACEHOLDERS: Record<string, number> = { APP_KEY: 32, API_KEY_PEPPER: 32, FERNET_SALT: 16 }

export function ensureEnvFile(opts: {
  rootDir: string
  envFile?: string
  randomHex?: (bytes: number) => string
}): EnsureEnvFileResult {
  const path = opts.envFile ?? join(opts.rootDir, '.env')
  if (existsSync(path)) return { path, created: false, generated: [] }
  const hex = opts.randomHex ?? ((n: number) => randomBytes(n).toString('hex'))
  let text = readFileSync(join(opts.rootDir, '.sample.env'), 'utf8')
  const generated: string[] = []
  for (const [name, bytes] of Object.entries(PLACEHOLDERS)) {
    const re = new RegExp(`^(${name}\\s*=\\s*)(['"]?)OPENALGO_PLACEHOLDER_[A-Z_]+(['"]?)`, 'm')
    if (re.test(text)) {
      text = text.replace(re, `$1$2${hex(bytes)}$3`)
      generated.push(name)
    }
  }
  const tmp = `${path}.tmp`
  writeFileSync(tmp, text, { mode: 0o600 })
  renameSync(tmp, path)
  return { path, created: true, generated }
}

function rate(text: string): RateLimit {
  const rules = text.split(';').map((part) => {
    const m = /^(\d+)\s+per\s+(second|minute|hour|day)$/.exec(part)
    return { count: Number(m?.[1] ?? 0), per: (m?.[2] ?? 'second') as 'second' }
  })
  return { text, rules }
}

function tod(text: string, fallback: TimeOfDay): TimeOfDay {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text)
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : fallback
}

function sqlitePath(url: string, dataDir: string): string {
  const p = url.replace(/^sqlite:\/\/\//, '')
  if (isAbsolute(p)) return p
  return join(dataDir, p.split('/').pop() ?? p)
}

export function checkEnv(input: CheckEnvInput): EnvCheckResult {
  const get = (k: string): string | undefined => input.processEnv[k] ?? input.fileVars?.get(k)
  const problems: EnvProblem[] = []
  if (!input.fileVars) {
    problems.push({
      variable: '.env',
      found: '(missing)',
      message: 'the .env file does not exist',
      fix: 'Copy .sample.env to .env.',
    })
  }
  const req = (k: string): string => {
    const v = get(k)
    if (v === undefined)
      problems.push({
        variable: k,
        found: '(missing)',
        message: 'is required',
        fix: `Add ${k} to .env (see .sample.env).`,
      })
    return v ?? ''
  }
  const port = (k: string): number => {
    const v = req(k)
    const n = Number(v)
    if (!/^\d+$/.test(v) || n > 65535)
      problems.push({
        variable: k,
        found: JSON.stringify(v),
        message: 'must be a valid port number (0-65535)',
        fix: `Set ${k} to a number such as 5000.`,
      })
    return n
  }
  const appKey = req('APP_KEY')
  if (appKey && appKey.length < 32)
    problems.push({
      variable: 'APP_KEY',
      found: '(hidden)',
      message: 'must be at least 32 characters',
      fix: "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('hex'))\"",
    })
  const pepper = req('API_KEY_PEPPER')
  const redirectUrl = req('REDIRECT_URL')
  const m = /\/([^/]+)\/callback$/.exec(redirectUrl)
  if (redirectUrl && !m)
    problems.push({
      variable: 'REDIRECT_URL',
      found: JSON.stringify(redirectUrl),
      message: 'must end in /<broker>/callback',
      fix: "Use e.g. 'http://127.0.0.1:5000/simulator/callback'.",
    })
  const validBrokers = (get('VALID_BROKERS') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
  const httpPort = port('FLASK_PORT')
  const wsPort = port('WEBSOCKET_PORT')
  if (problems.length > 0) return { ok: false, problems, warnings: [] }
  const dataDir = resolve(input.rootDir, get('OA_DATA_DIR') ?? 'db')
  const hostServer = get('HOST_SERVER') ?? 'http://127.0.0.1:5000'
  const isHttps = hostServer.startsWith('https://')
  const cookie = get('SESSION_COOKIE_NAME') ?? 'session'
  const level = (get('LOG_LEVEL') ?? 'INFO').toUpperCase()
  const config: OaConfig = {
    envConfigVersion: get('ENV_CONFIG_VERSION') ?? '',
    broker: {
      apiKey: get('BROKER_API_KEY') ?? '',
      apiSecret: get('BROKER_API_SECRET') ?? '',
      apiKeyMarket: get('BROKER_API_KEY_MARKET') ?? '',
      apiSecretMarket: get('BROKER_API_SECRET_MARKET') ?? '',
      redirectUrl,
      name: (m?.[1] ?? '').toLowerCase(),
      validBrokers,
    },
    secrets: {
      appKey,
      apiKeyPepper: pepper,
      fernetSalt: /^[0-9a-fA-F]{32,}$/.test(get('FERNET_SALT') ?? '')
        ? (get('FERNET_SALT') ?? null)
        : null,
    },
    server: {
      hostServer,
      isHttps,
      host: get('FLASK_HOST_IP') ?? '127.0.0.1',
      port: httpPort,
      debug: false,
      env: 'production',
      debugAllowExternal: false,
      ngrokAllow: false,
    },
    storage: {
      dataDir,
      mainDb: sqlitePath(get('DATABASE_URL') ?? 'sqlite:///db/openalgo.db', dataDir),
      logsDb: sqlitePath(get('LOGS_DATABASE_URL') ?? 'sqlite:///db/logs.db', dataDir),
      latencyDb: sqlitePath(get('LATENCY_DATABASE_URL') ?? 'sqlite:///db/latency.db', dataDir),
      healthDb: sqlitePath(get('HEALTH_DATABASE_URL') ?? 'sqlite:///db/health.db', dataDir),
      sandboxDb: sqlitePath(get('SANDBOX_DATABASE_URL') ?? 'sqlite:///db/sandbox.db', dataDir),
    },
    websocket: {
      host: get('WEBSOCKET_HOST') ?? '127.0.0.1',
      port: wsPort,
      url: get('WEBSOCKET_URL') ?? 'ws://127.0.0.1:8765',
      authGraceSeconds: 15,
      maxQueue: 1024,
      pingIntervalSeconds: 20,
      pingTimeoutSeconds: 20,
      staleTickWarnSeconds: 120,
      maxSymbolsPerConnection: 1000,
      maxConnections: 3,
      connectionPooling: true,
      orderUpdatesEnabled: true,
      orderPollIntervalSeconds: 5,
    },
    logging: {
      toFile: false,
      level:
        level === 'DEBUG'
          ? 'debug'
          : level === 'WARNING'
            ? 'warn'
            : level === 'ERROR'
              ? 'error'
              : level === 'CRITICAL'
                ? 'fatal'
                : 'info',
      dir: resolve(input.rootDir, get('LOG_DIR') ?? 'log'),
      retentionDays: 14,
      trafficRetentionDays: 30,
      colors: true,
    },
    rateLimits: {
      loginPerMinute: rate(get('LOGIN_RATE_LIMIT_MIN') ?? '5 per minute'),
      loginPerHour: rate(get('LOGIN_RATE_LIMIT_HOUR') ?? '25 per hour'),
      reset: rate(get('RESET_RATE_LIMIT') ?? '15 per hour'),
      api: rate(get('API_RATE_LIMIT') ?? '50 per second'),
      order: rate(get('ORDER_RATE_LIMIT') ?? '10 per second'),
      smartOrder: rate(get('SMART_ORDER_RATE_LIMIT') ?? '10 per second'),
      webhook: rate(get('WEBHOOK_RATE_LIMIT') ?? '100 per minute'),
      strategy: rate(get('STRATEGY_RATE_LIMIT') ?? '200 per minute'),
      greeks: rate(get('GREEKS_RATE_LIMIT') ?? '30 per minute'),
    },
    session: {
      expiryTime: tod(get('SESSION_EXPIRY_TIME') ?? '03:00', { hour: 3, minute: 0 }),
      disableExpiry: (get('DISABLE_SESSION_EXPIRY') ?? '').toLowerCase() === 'true',
      masterContractCutoff: tod(get('MASTER_CONTRACT_CUTOFF_TIME') ?? '08:00', {
        hour: 8,
        minute: 0,
      }),
      cryptoMasterContractCutoff: tod(get('CRYPTO_MASTER_CONTRACT_CUTOFF_TIME') ?? '00:00', {
        hour: 0,
        minute: 0,
      }),
    },
    security: {
      cors: {
        enabled: false,
        allowedOrigins: [],
        allowedMethods: [],
        allowedHeaders: [],
        exposedHeaders: [],
        allowCredentials: false,
        maxAgeSeconds: null,
      },
      csp: {
        enabled: true,
        reportOnly: false,
        directives: [['default-src', "'self'"]],
        upgradeInsecureRequests: false,
      },
      csrf: { enabled: true, timeLimitSeconds: null },
      sessionCookieName: isHttps ? `__Secure-${cookie}` : cookie,
      trustProxyHeaders: false,
      referrerPolicy: 'strict-origin-when-cross-origin',
      permissionsPolicy:
        'camera=(), microphone=(), geolocation=(), payment=(), usb=(), screen-wake-lock=(), web-share=()',
    },
    simulator: { seed: Number(get('OA_SIMULATOR_SEED') ?? '1') },
  }
  return { ok: true, config: Object.freeze(config), warnings: [] }
}
