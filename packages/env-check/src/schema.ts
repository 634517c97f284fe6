// The one schema of every variable oa reads (spec: platform.md §2.3). Names, defaults and rules
// are OpenAlgo's unless a comment says otherwise; docs/environment.md is generated from this file.
import { z } from 'zod'
import { CSP_DIRECTIVES, CSP_REPORT_DIRECTIVES } from './csp.js'
import { defaultedVar, optionalVar, requiredVar, type Field, type VarGroup } from './fields.js'
import {
  anyText,
  appKey,
  bool,
  clockTime,
  cookieName,
  csv,
  cspValue,
  cutoffTime,
  emptyOrInt,
  fernetSalt,
  flaskEnv,
  headerValue,
  httpUrl,
  int,
  logLevel,
  nonBlank,
  pepper,
  port,
  rateLimit,
  redirectUrl,
  seed,
  sqliteUrl,
  timeWindow,
  validBrokers,
  wsUrl,
} from './rules.js'
import type { RateLimit } from './types.js'

const GENERATE_SECRET = `node -e "console.log(require('crypto').randomBytes(32).toString('hex'))"`

const core = 'Core, broker and URLs' as const
const secrets = 'Secrets' as const
const storage = 'Storage' as const
const http = 'HTTP server' as const
const ws = 'WebSocket feed and order updates' as const
const logging = 'Logging' as const
const limits = 'Rate limits' as const
const session = 'Sessions and master contract' as const
const security = 'Browser security' as const
const health = 'Health monitor' as const

function requiredLimit(name: string, example: string): Field<RateLimit> {
  return requiredVar(
    name,
    { group: limits, rule: "'<n> per second|minute|hour|day', compound with ';'", example },
    rateLimit,
  )
}

function optionalLimit(name: string, fallback: string): Field<RateLimit> {
  return defaultedVar(
    name,
    fallback,
    {
      group: limits,
      rule: "'<n> per second|minute|hour|day', compound with ';'",
      example: fallback,
    },
    rateLimit,
  )
}

function positive(name: string, fallback: string, group: VarGroup): Field<number> {
  return defaultedVar(
    name,
    fallback,
    { group, rule: 'whole number ≥ 1', example: fallback },
    int(1),
  )
}

function threshold(name: string, fallback: string): Field<number> {
  return positive(name, fallback, health)
}

function cspVar(name: string, fallback: string | null): Field<string | null> {
  const meta = {
    group: security,
    rule: "one CSP source list (no ';'); empty omits the directive",
    example: fallback ?? '',
  }
  return fallback === null
    ? optionalVar(name, meta, cspValue)
    : defaultedVar(name, fallback, meta, cspValue)
}

const cspShape = Object.fromEntries(
  [...CSP_DIRECTIVES, ...CSP_REPORT_DIRECTIVES].map((d) => [
    d.variable,
    cspVar(d.variable, d.fallback),
  ]),
) as Record<
  | 'CSP_DEFAULT_SRC'
  | 'CSP_SCRIPT_SRC'
  | 'CSP_STYLE_SRC'
  | 'CSP_IMG_SRC'
  | 'CSP_CONNECT_SRC'
  | 'CSP_FONT_SRC'
  | 'CSP_OBJECT_SRC'
  | 'CSP_MEDIA_SRC'
  | 'CSP_FRAME_SRC'
  | 'CSP_CHILD_SRC'
  | 'CSP_FORM_ACTION'
  | 'CSP_BASE_URI'
  | 'CSP_FRAME_ANCESTORS'
  | 'CSP_REPORT_URI'
  | 'CSP_REPORT_TO',
  Field<string | null>
>

/** Every variable oa reads, in the order of the reference table. */
export const envSchema = z.object({
  // Core, broker, URLs
  ENV_CONFIG_VERSION: requiredVar(
    'ENV_CONFIG_VERSION',
    {
      group: core,
      rule: 'dotted integers; compared with .sample.env (older → warning)',
      example: '1.0.7',
    },
    anyText,
  ),
  BROKER_API_KEY: requiredVar(
    'BROKER_API_KEY',
    {
      group: core,
      rule: "per broker: 5paisa 'a:::b:::c'; Dhan, Flattrade 'a:::b'; Zerodha, Angel, Upstox, Fyers non-empty; simulator any",
      example: 'simulator',
      secret: true,
    },
    anyText,
  ),
  BROKER_API_SECRET: requiredVar(
    'BROKER_API_SECRET',
    { group: core, rule: 'any text', example: 'simulator', secret: true },
    anyText,
  ),
  BROKER_API_KEY_MARKET: defaultedVar(
    'BROKER_API_KEY_MARKET',
    '',
    { group: core, rule: 'any text (XTS brokers only)', example: '', secret: true },
    anyText,
  ),
  BROKER_API_SECRET_MARKET: defaultedVar(
    'BROKER_API_SECRET_MARKET',
    '',
    { group: core, rule: 'any text (XTS brokers only)', example: '', secret: true },
    anyText,
  ),
  REDIRECT_URL: requiredVar(
    'REDIRECT_URL',
    {
      group: core,
      rule: 'http(s) URL ending in /<broker>/callback; <broker> in VALID_BROKERS',
      example: 'http://127.0.0.1:5000/simulator/callback',
    },
    redirectUrl,
  ),
  VALID_BROKERS: requiredVar(
    'VALID_BROKERS',
    {
      group: core,
      rule: 'non-empty comma-separated list, trimmed and lower-cased',
      example: 'simulator,zerodha',
    },
    validBrokers,
  ),
  OA_SIMULATOR_SEED: defaultedVar(
    'OA_SIMULATOR_SEED',
    '1',
    { group: core, rule: 'whole number ≥ 0 (oa only)', example: '1' },
    seed,
  ),
  // the simulator's MAX_EXTRA_STRIKES; each strike adds about 2,700 instruments (12: about 153,000)
  OA_SIMULATOR_EXTRA_STRIKES: defaultedVar(
    'OA_SIMULATOR_EXTRA_STRIKES',
    '0',
    {
      group: core,
      rule: 'whole number 0–200: strikes added on each side of every simulator option chain (oa only)',
      example: '12',
    },
    int(0, 200),
  ),

  // Secrets
  APP_KEY: requiredVar(
    'APP_KEY',
    {
      group: secrets,
      rule: '≥ 32 characters; placeholder and leaked values refused (first run replaces them)',
      example: '<64 random hex characters>',
      secret: true,
      missingFix: `Add APP_KEY = '<value>' to .env, the value being the output of ${GENERATE_SECRET}.`,
    },
    appKey,
  ),
  API_KEY_PEPPER: requiredVar(
    'API_KEY_PEPPER',
    {
      group: secrets,
      rule: '≥ 32 characters; a public value is a warning (replaced on first run while no user exists)',
      example: '<64 random hex characters>',
      secret: true,
      missingFix: `On a fresh install add API_KEY_PEPPER = '<value>' with the output of ${GENERATE_SECRET}; on an install with users restore it from your .env backup (a new one makes stored passwords unreadable).`,
    },
    pepper,
  ),
  FERNET_SALT: optionalVar(
    'FERNET_SALT',
    {
      group: secrets,
      rule: '≥ 32 hex characters; absent or placeholder → legacy static salt (warning)',
      example: '<32 random hex characters>',
      secret: true,
    },
    fernetSalt,
  ),

  // Storage
  OA_DATA_DIR: defaultedVar(
    'OA_DATA_DIR',
    'db',
    {
      group: storage,
      rule: 'directory (relative to the repository root) holding every SQLite file (oa only)',
      example: 'db',
    },
    nonBlank('the directory holding the databases'),
  ),
  DATABASE_URL: requiredVar(
    'DATABASE_URL',
    {
      group: storage,
      rule: 'sqlite:///relative.db (→ OA_DATA_DIR) or sqlite:////absolute.db; SQLite only',
      example: 'sqlite:///db/openalgo.db',
    },
    sqliteUrl,
  ),
  LATENCY_DATABASE_URL: defaultedVar(
    'LATENCY_DATABASE_URL',
    'sqlite:///db/latency.db',
    { group: storage, rule: 'as DATABASE_URL', example: 'sqlite:///db/latency.db' },
    sqliteUrl,
  ),
  LOGS_DATABASE_URL: defaultedVar(
    'LOGS_DATABASE_URL',
    'sqlite:///db/logs.db',
    { group: storage, rule: 'as DATABASE_URL', example: 'sqlite:///db/logs.db' },
    sqliteUrl,
  ),
  HEALTH_DATABASE_URL: defaultedVar(
    'HEALTH_DATABASE_URL',
    'sqlite:///db/health.db',
    { group: storage, rule: 'as DATABASE_URL', example: 'sqlite:///db/health.db' },
    sqliteUrl,
  ),
  SANDBOX_DATABASE_URL: defaultedVar(
    'SANDBOX_DATABASE_URL',
    'sqlite:///db/sandbox.db',
    { group: storage, rule: 'as DATABASE_URL', example: 'sqlite:///db/sandbox.db' },
    sqliteUrl,
  ),

  // HTTP server
  NGROK_ALLOW: requiredVar(
    'NGROK_ALLOW',
    { group: http, rule: 'boolean: TRUE / FALSE', example: 'FALSE' },
    bool('upper_true'),
  ),
  HOST_SERVER: requiredVar(
    'HOST_SERVER',
    {
      group: http,
      rule: 'http(s) URL; https makes cookies Secure and __Secure- prefixed',
      example: 'http://127.0.0.1:5000',
    },
    httpUrl,
  ),
  FLASK_HOST_IP: requiredVar(
    'FLASK_HOST_IP',
    { group: http, rule: 'non-empty address to bind', example: '127.0.0.1' },
    nonBlank(
      "the address the HTTP server binds ('127.0.0.1' for this machine only, '0.0.0.0' for every interface)",
    ),
  ),
  FLASK_PORT: requiredVar(
    'FLASK_PORT',
    { group: http, rule: 'port 0–65535', example: '5000' },
    port,
  ),
  FLASK_DEBUG: requiredVar(
    'FLASK_DEBUG',
    {
      group: http,
      rule: 'true/false/1/0/t/f (any case); on + non-loopback host refused',
      example: 'False',
    },
    bool('flask_debug'),
  ),
  FLASK_ENV: requiredVar(
    'FLASK_ENV',
    {
      group: http,
      rule: 'development or production (any case); otherwise unused',
      example: 'production',
    },
    flaskEnv,
  ),
  FLASK_DEBUG_ALLOW_EXTERNAL: defaultedVar(
    'FLASK_DEBUG_ALLOW_EXTERNAL',
    'False',
    { group: http, rule: 'boolean: true/1/t', example: 'False' },
    bool('lower_true_1_t'),
  ),

  // WebSocket feed and order updates
  WEBSOCKET_HOST: requiredVar(
    'WEBSOCKET_HOST',
    { group: ws, rule: 'non-empty address to bind (0.0.0.0 in Docker)', example: '127.0.0.1' },
    nonBlank('the address the WebSocket proxy binds'),
  ),
  WEBSOCKET_PORT: requiredVar(
    'WEBSOCKET_PORT',
    { group: ws, rule: 'port 0–65535', example: '8765' },
    port,
  ),
  WEBSOCKET_URL: requiredVar(
    'WEBSOCKET_URL',
    { group: ws, rule: 'starts with ws:// or wss://', example: 'ws://127.0.0.1:8765' },
    wsUrl,
  ),
  WS_AUTH_GRACE_SECONDS: positive('WS_AUTH_GRACE_SECONDS', '15', ws),
  WS_MAX_QUEUE: positive('WS_MAX_QUEUE', '1024', ws),
  WS_PING_INTERVAL: positive('WS_PING_INTERVAL', '20', ws),
  WS_PING_TIMEOUT: positive('WS_PING_TIMEOUT', '20', ws),
  WS_STALE_TICK_WARN_SECONDS: positive('WS_STALE_TICK_WARN_SECONDS', '120', ws),
  MAX_SYMBOLS_PER_WEBSOCKET: positive('MAX_SYMBOLS_PER_WEBSOCKET', '1000', ws),
  MAX_WEBSOCKET_CONNECTIONS: positive('MAX_WEBSOCKET_CONNECTIONS', '3', ws),
  ENABLE_CONNECTION_POOLING: defaultedVar(
    'ENABLE_CONNECTION_POOLING',
    'true',
    { group: ws, rule: 'boolean: true / false', example: 'true' },
    bool('lower_true'),
  ),
  ORDER_UPDATES_ENABLED: defaultedVar(
    'ORDER_UPDATES_ENABLED',
    'TRUE',
    {
      group: ws,
      rule: 'boolean: TRUE / FALSE (the original treats anything but FALSE as on)',
      example: 'TRUE',
    },
    bool('upper_not_false'),
  ),
  ORDER_POLL_INTERVAL: positive('ORDER_POLL_INTERVAL', '5', ws),
  BROKER_CONNECTION_KEEPALIVE: defaultedVar(
    'BROKER_CONNECTION_KEEPALIVE',
    'TRUE',
    { group: ws, rule: 'boolean: TRUE/1/YES', example: 'TRUE' },
    bool('keepalive'),
  ),
  BROKER_KEEPALIVE_INTERVAL: defaultedVar(
    'BROKER_KEEPALIVE_INTERVAL',
    '20',
    { group: ws, rule: 'whole number ≥ 1, floored at 5 (seconds)', example: '20' },
    int(1),
  ),
  BROKER_KEEPALIVE_WINDOW: defaultedVar(
    'BROKER_KEEPALIVE_WINDOW',
    '09:00-23:30',
    {
      group: ws,
      rule: 'HH:MM-HH:MM (IST, Mon–Fri); invalid → warning + default',
      example: '09:00-23:30',
    },
    timeWindow({ start: { hour: 9, minute: 0 }, end: { hour: 23, minute: 30 } }),
  ),

  // Logging
  LOG_TO_FILE: requiredVar(
    'LOG_TO_FILE',
    { group: logging, rule: 'True or False (any case), nothing else', example: 'False' },
    bool('true_false_only'),
  ),
  LOG_LEVEL: requiredVar(
    'LOG_LEVEL',
    { group: logging, rule: 'DEBUG, INFO, WARNING, ERROR or CRITICAL (any case)', example: 'INFO' },
    logLevel,
  ),
  LOG_DIR: requiredVar(
    'LOG_DIR',
    {
      group: logging,
      rule: 'non-blank directory (relative to the repository root)',
      example: 'log',
    },
    nonBlank('the directory for log files'),
  ),
  LOG_FORMAT: requiredVar(
    'LOG_FORMAT',
    {
      group: logging,
      rule: 'non-blank (kept for compatibility)',
      example: '[%(asctime)s] %(levelname)s in %(module)s: %(message)s',
    },
    nonBlank('the log line format'),
  ),
  LOG_RETENTION: requiredVar(
    'LOG_RETENTION',
    { group: logging, rule: 'whole number ≥ 1 (days)', example: '14' },
    int(1),
  ),
  LOG_COLORS: defaultedVar(
    'LOG_COLORS',
    'True',
    { group: logging, rule: 'boolean: true / false', example: 'True' },
    bool('lower_true'),
  ),
  TRAFFIC_LOG_RETENTION_DAYS: positive('TRAFFIC_LOG_RETENTION_DAYS', '30', logging),

  // Rate limits
  LOGIN_RATE_LIMIT_MIN: requiredLimit('LOGIN_RATE_LIMIT_MIN', '5 per minute'),
  LOGIN_RATE_LIMIT_HOUR: requiredLimit('LOGIN_RATE_LIMIT_HOUR', '25 per hour'),
  RESET_RATE_LIMIT: optionalLimit('RESET_RATE_LIMIT', '15 per hour'),
  API_RATE_LIMIT: requiredLimit('API_RATE_LIMIT', '50 per second'),
  ORDER_RATE_LIMIT: requiredLimit('ORDER_RATE_LIMIT', '10 per second'),
  SMART_ORDER_RATE_LIMIT: requiredLimit('SMART_ORDER_RATE_LIMIT', '10 per second'),
  WEBHOOK_RATE_LIMIT: requiredLimit('WEBHOOK_RATE_LIMIT', '100 per minute'),
  STRATEGY_RATE_LIMIT: requiredLimit('STRATEGY_RATE_LIMIT', '200 per minute'),
  GREEKS_RATE_LIMIT: optionalLimit('GREEKS_RATE_LIMIT', '30 per minute'),
  PORTFOLIO_API_RATE_LIMIT: optionalLimit('PORTFOLIO_API_RATE_LIMIT', '10 per minute'),
  PORTFOLIO_TEARSHEET_RATE_LIMIT: optionalLimit('PORTFOLIO_TEARSHEET_RATE_LIMIT', '5 per minute'),
  SIP_API_RATE_LIMIT: optionalLimit('SIP_API_RATE_LIMIT', '10 per minute'),
  STRATEGY_CHART_LIMIT: optionalLimit('STRATEGY_CHART_LIMIT', '30 per minute'),
  STRATEGY_PORTFOLIO_READ_LIMIT: optionalLimit('STRATEGY_PORTFOLIO_READ_LIMIT', '60 per minute'),
  STRATEGY_PORTFOLIO_WRITE_LIMIT: optionalLimit('STRATEGY_PORTFOLIO_WRITE_LIMIT', '20 per minute'),

  // Sessions and master contract
  SESSION_EXPIRY_TIME: requiredVar(
    'SESSION_EXPIRY_TIME',
    { group: session, rule: '24-hour H:MM or HH:MM (IST)', example: '03:00' },
    clockTime,
  ),
  DISABLE_SESSION_EXPIRY: defaultedVar(
    'DISABLE_SESSION_EXPIRY',
    'false',
    { group: session, rule: 'boolean: true / false', example: 'false' },
    bool('lower_true'),
  ),
  MASTER_CONTRACT_CUTOFF_TIME: defaultedVar(
    'MASTER_CONTRACT_CUTOFF_TIME',
    '08:00',
    { group: session, rule: 'H[:MM] (IST); invalid → warning + default', example: '08:00' },
    cutoffTime({ hour: 8, minute: 0 }, 'IST'),
  ),
  CRYPTO_MASTER_CONTRACT_CUTOFF_TIME: defaultedVar(
    'CRYPTO_MASTER_CONTRACT_CUTOFF_TIME',
    '00:00',
    { group: session, rule: 'H[:MM] (UTC); invalid → warning + default', example: '00:00' },
    cutoffTime({ hour: 0, minute: 0 }, 'UTC'),
  ),

  // Browser security
  CORS_ENABLED: defaultedVar(
    'CORS_ENABLED',
    'FALSE',
    {
      group: security,
      rule: 'boolean: TRUE / FALSE; FALSE sends no CORS headers at all',
      example: 'FALSE',
    },
    bool('upper_true'),
  ),
  CORS_ALLOWED_ORIGINS: optionalVar(
    'CORS_ALLOWED_ORIGINS',
    {
      group: security,
      rule: "comma-separated origins; unset → '*' when enabled",
      example: 'http://127.0.0.1:5000',
    },
    csv,
  ),
  CORS_ALLOWED_METHODS: optionalVar(
    'CORS_ALLOWED_METHODS',
    { group: security, rule: 'comma-separated methods', example: 'GET,POST,DELETE,PUT,PATCH' },
    csv,
  ),
  CORS_ALLOWED_HEADERS: optionalVar(
    'CORS_ALLOWED_HEADERS',
    {
      group: security,
      rule: "comma-separated headers; unset → '*' when enabled",
      example: 'Content-Type,Authorization,X-Requested-With',
    },
    csv,
  ),
  CORS_EXPOSED_HEADERS: optionalVar(
    'CORS_EXPOSED_HEADERS',
    { group: security, rule: 'comma-separated headers', example: '' },
    csv,
  ),
  CORS_ALLOW_CREDENTIALS: defaultedVar(
    'CORS_ALLOW_CREDENTIALS',
    'FALSE',
    {
      group: security,
      rule: "boolean: TRUE / FALSE; TRUE needs explicit origins (not '*')",
      example: 'FALSE',
    },
    bool('upper_true'),
  ),
  CORS_MAX_AGE: optionalVar(
    'CORS_MAX_AGE',
    { group: security, rule: 'whole number of seconds; empty → no header', example: '86400' },
    emptyOrInt(0),
  ),
  CSP_ENABLED: defaultedVar(
    'CSP_ENABLED',
    'TRUE',
    { group: security, rule: 'boolean: TRUE / FALSE', example: 'TRUE' },
    bool('upper_true'),
  ),
  CSP_REPORT_ONLY: defaultedVar(
    'CSP_REPORT_ONLY',
    'FALSE',
    {
      group: security,
      rule: 'boolean: TRUE / FALSE; TRUE sends Content-Security-Policy-Report-Only',
      example: 'FALSE',
    },
    bool('upper_true'),
  ),
  ...cspShape,
  CSP_UPGRADE_INSECURE_REQUESTS: defaultedVar(
    'CSP_UPGRADE_INSECURE_REQUESTS',
    'FALSE',
    {
      group: security,
      rule: 'boolean: TRUE / FALSE; TRUE adds upgrade-insecure-requests',
      example: 'FALSE',
    },
    bool('upper_true'),
  ),
  REFERRER_POLICY: defaultedVar(
    'REFERRER_POLICY',
    'strict-origin-when-cross-origin',
    {
      group: security,
      rule: 'Referrer-Policy header value; empty omits it',
      example: 'strict-origin-when-cross-origin',
    },
    headerValue,
  ),
  PERMISSIONS_POLICY: defaultedVar(
    'PERMISSIONS_POLICY',
    'camera=(), microphone=(), geolocation=(), payment=(), usb=(), screen-wake-lock=(), web-share=()',
    {
      group: security,
      rule: 'Permissions-Policy header value; empty omits it',
      example: 'camera=(), microphone=()',
    },
    headerValue,
  ),
  CSRF_ENABLED: defaultedVar(
    'CSRF_ENABLED',
    'TRUE',
    { group: security, rule: 'boolean: TRUE / FALSE', example: 'TRUE' },
    bool('upper_true'),
  ),
  CSRF_TIME_LIMIT: optionalVar(
    'CSRF_TIME_LIMIT',
    {
      group: security,
      rule: 'whole number of seconds ≥ 1; empty → valid for the session',
      example: '',
    },
    emptyOrInt(1),
  ),
  SESSION_COOKIE_NAME: defaultedVar(
    'SESSION_COOKIE_NAME',
    'session',
    {
      group: security,
      rule: 'cookie name; __Secure- prefix added when HOST_SERVER is https',
      example: 'session',
    },
    cookieName,
  ),
  CSRF_COOKIE_NAME: defaultedVar(
    'CSRF_COOKIE_NAME',
    'csrf_token',
    { group: security, rule: 'cookie name (inert in the original)', example: 'csrf_token' },
    cookieName,
  ),
  TRUST_PROXY_HEADERS: defaultedVar(
    'TRUST_PROXY_HEADERS',
    'FALSE',
    {
      group: security,
      rule: 'boolean: true/1/yes/t; only behind a reverse proxy you control',
      example: 'FALSE',
    },
    bool('lower_true_1_yes_t'),
  ),

  // Health monitor
  HEALTH_MONITOR_ENABLED: defaultedVar(
    'HEALTH_MONITOR_ENABLED',
    'true',
    { group: health, rule: 'boolean: true / false', example: 'true' },
    bool('lower_true'),
  ),
  HEALTH_SAMPLE_INTERVAL: positive('HEALTH_SAMPLE_INTERVAL', '10', health),
  HEALTH_RETENTION_DAYS: positive('HEALTH_RETENTION_DAYS', '7', health),
  HEALTH_FD_WARNING_THRESHOLD: threshold('HEALTH_FD_WARNING_THRESHOLD', '700'),
  HEALTH_FD_CRITICAL_THRESHOLD: threshold('HEALTH_FD_CRITICAL_THRESHOLD', '900'),
  HEALTH_MEMORY_WARNING_THRESHOLD: threshold('HEALTH_MEMORY_WARNING_THRESHOLD', '500'),
  HEALTH_MEMORY_CRITICAL_THRESHOLD: threshold('HEALTH_MEMORY_CRITICAL_THRESHOLD', '1000'),
  HEALTH_DB_WARNING_THRESHOLD: threshold('HEALTH_DB_WARNING_THRESHOLD', '10'),
  HEALTH_DB_CRITICAL_THRESHOLD: threshold('HEALTH_DB_CRITICAL_THRESHOLD', '20'),
  HEALTH_WS_WARNING_THRESHOLD: threshold('HEALTH_WS_WARNING_THRESHOLD', '10'),
  HEALTH_WS_CRITICAL_THRESHOLD: threshold('HEALTH_WS_CRITICAL_THRESHOLD', '20'),
  HEALTH_THREAD_WARNING_THRESHOLD: threshold('HEALTH_THREAD_WARNING_THRESHOLD', '50'),
  HEALTH_THREAD_CRITICAL_THRESHOLD: threshold('HEALTH_THREAD_CRITICAL_THRESHOLD', '100'),
})

/** The parsed value of every variable. */
export type EnvValues = z.output<typeof envSchema>
/** A variable name the schema knows. */
export type EnvVariableName = keyof EnvValues
