import { describe, expect, it } from 'vitest'
import { checkEnv } from './check-env.js'
import {
  PLACEHOLDER_APP_KEY,
  PLACEHOLDER_API_KEY_PEPPER,
  PLACEHOLDER_FERNET_SALT,
} from './constants.js'
import { formatProblem, formatWarning } from './format.js'
import { listEnvVariables } from './reference.js'
import { SECRETS, check, config, problems, sampleText, validVars } from './test-helpers/env.js'

const REQUIRED = [
  'ENV_CONFIG_VERSION',
  'BROKER_API_KEY',
  'BROKER_API_SECRET',
  'REDIRECT_URL',
  'APP_KEY',
  'API_KEY_PEPPER',
  'DATABASE_URL',
  'NGROK_ALLOW',
  'HOST_SERVER',
  'FLASK_HOST_IP',
  'FLASK_PORT',
  'FLASK_DEBUG',
  'FLASK_ENV',
  'LOGIN_RATE_LIMIT_MIN',
  'LOGIN_RATE_LIMIT_HOUR',
  'API_RATE_LIMIT',
  'ORDER_RATE_LIMIT',
  'SMART_ORDER_RATE_LIMIT',
  'WEBHOOK_RATE_LIMIT',
  'STRATEGY_RATE_LIMIT',
  'SESSION_EXPIRY_TIME',
  'WEBSOCKET_HOST',
  'WEBSOCKET_PORT',
  'WEBSOCKET_URL',
  'LOG_TO_FILE',
  'LOG_LEVEL',
  'LOG_DIR',
  'LOG_FORMAT',
  'LOG_RETENTION',
] as const

const names = (r: ReturnType<typeof check>): string[] => problems(r).map((p) => p.variable)

describe('checkEnv: the whole configuration', () => {
  it('accepts the sample with fresh secrets and returns a deeply frozen config', () => {
    const c = config(check())
    expect(c.server.port).toBe(5000)
    expect(c.broker.name).toBe('simulator')
    expect(Object.isFrozen(c)).toBe(true)
    expect(Object.isFrozen(c.security.csp.directives)).toBe(true)
    expect(Object.isFrozen(c.security.csp.directives[0])).toBe(true)
    expect(Object.isFrozen(c.rateLimits.api.rules[0])).toBe(true)
  })

  it('reports the three problems of a broken .env at once, and nothing else', () => {
    const r = check({ APP_KEY: undefined, FLASK_PORT: 'abc', REDIRECT_URL: 'ftp://x' })
    expect(names(r).sort()).toEqual(['APP_KEY', 'FLASK_PORT', 'REDIRECT_URL'])
    for (const p of problems(r)) expect(formatProblem(p)).not.toMatch(/[\r\n]/)
  })

  it('does not cascade: a bad port is not also a WEBSOCKET_URL problem, a bad REDIRECT_URL not a key problem', () => {
    expect(names(check({ WEBSOCKET_PORT: '99999' }))).toEqual(['WEBSOCKET_PORT'])
    expect(
      names(check({ REDIRECT_URL: 'http://127.0.0.1:5000/fivepaisa', BROKER_API_KEY: 'x' })),
    ).toEqual(['REDIRECT_URL'])
    expect(names(check({ VALID_BROKERS: '' }))).toEqual(['VALID_BROKERS'])
  })

  it('lists problems in reference-table order', () => {
    const r = check({ LOG_LEVEL: 'LOUD', FLASK_PORT: 'x', ENV_CONFIG_VERSION: undefined })
    expect(names(r)).toEqual(['ENV_CONFIG_VERSION', 'FLASK_PORT', 'LOG_LEVEL'])
  })

  it('parses every documented default with its own rule', () => {
    const vars = validVars()
    for (const v of listEnvVariables()) if (!v.required) vars.delete(v.name)
    const r = checkEnv({
      rootDir: '/srv/oa',
      fileVars: vars,
      processEnv: {},
      sampleText: sampleText(),
    })
    expect(r.ok).toBe(true)
  })
})

describe('required variables (§2.2)', () => {
  it('has the 29 names of the original', () => {
    expect(
      listEnvVariables()
        .filter((v) => v.required && v.name !== 'VALID_BROKERS')
        .map((v) => v.name)
        .sort(),
    ).toEqual([...REQUIRED].sort())
  })

  it.each(REQUIRED)('reports a missing %s as one "missing" problem', (name) => {
    const found = problems(check({ [name]: undefined }))
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ variable: name, code: 'missing', found: '(missing)' })
    expect(formatProblem(found[0]!)).toMatch(new RegExp(`^${name}: is required but missing\\. `))
  })

  it('counts an empty value as present, as the original does', () => {
    const r = check({ BROKER_API_SECRET: '', ENV_CONFIG_VERSION: '' })
    expect(config(r).broker.apiSecret).toBe('')
    expect(r.warnings.map((w) => w.code)).toContain('config_version_missing')
  })

  it('reports an empty value that fails its rule as invalid, not missing', () => {
    expect(problems(check({ FLASK_PORT: '' }))[0]).toMatchObject({ code: 'invalid' })
  })
})

describe('server and WebSocket settings', () => {
  it.each(['-1', '65536', 'abc', '', '50 00', '5000.0'])('refuses port %j', (port) => {
    const [p] = problems(check({ FLASK_PORT: port }))
    expect(p?.message).toBe('must be a valid port number (0-65535)')
    expect(names(check({ WEBSOCKET_PORT: port }))).toEqual(['WEBSOCKET_PORT'])
  })

  it.each([
    ['0', 0],
    ['65535', 65535],
    [' 8080 ', 8080],
  ])('accepts port %j', (text, port) => {
    expect(config(check({ FLASK_PORT: text })).server.port).toBe(port)
  })

  it('reads FLASK_ENV in any case and refuses other values', () => {
    expect(config(check({ FLASK_ENV: 'Development' })).server.env).toBe('development')
    expect(names(check({ FLASK_ENV: 'staging' }))).toEqual(['FLASK_ENV'])
  })

  it('refuses debug mode on a non-loopback address unless explicitly allowed', () => {
    const r = check({ FLASK_DEBUG: 'True', FLASK_HOST_IP: '0.0.0.0' })
    expect(names(r)).toEqual(['FLASK_DEBUG'])
    expect(
      config(
        check({ FLASK_DEBUG: 'True', FLASK_HOST_IP: '0.0.0.0', FLASK_DEBUG_ALLOW_EXTERNAL: 't' }),
      ).server.debug,
    ).toBe(true)
    for (const host of ['127.0.0.1', 'localhost', '::1'])
      expect(check({ FLASK_DEBUG: '1', FLASK_HOST_IP: host }).ok).toBe(true)
  })

  it('refuses an empty bind address', () => {
    expect(names(check({ FLASK_HOST_IP: '  ', WEBSOCKET_HOST: '' }))).toEqual([
      'FLASK_HOST_IP',
      'WEBSOCKET_HOST',
    ])
  })

  it('requires HOST_SERVER to be an http(s) URL and derives https from it', () => {
    expect(names(check({ HOST_SERVER: '127.0.0.1:5000' }))).toEqual(['HOST_SERVER'])
    const c = config(check({ HOST_SERVER: 'https://trade.example.com' }))
    expect(c.server.isHttps).toBe(true)
    expect(c.security.sessionCookieName).toBe('__Secure-session')
    expect(c.security.csrf.cookieName).toBe('__Secure-csrf_token')
    expect(config(check()).security.sessionCookieName).toBe('session')
  })

  it('requires WEBSOCKET_URL to start with ws:// or wss://', () => {
    expect(names(check({ WEBSOCKET_URL: 'http://127.0.0.1:8765' }))).toEqual(['WEBSOCKET_URL'])
    expect(names(check({ WEBSOCKET_URL: 'ws://' }))).toEqual(['WEBSOCKET_URL'])
    expect(config(check({ WEBSOCKET_URL: 'wss://trade.example.com/ws' })).websocket.url).toBe(
      'wss://trade.example.com/ws',
    )
  })

  it.each([
    'WS_AUTH_GRACE_SECONDS',
    'WS_MAX_QUEUE',
    'WS_PING_INTERVAL',
    'MAX_WEBSOCKET_CONNECTIONS',
    'ORDER_POLL_INTERVAL',
  ])('refuses %s below 1 or not a number', (name) => {
    expect(names(check({ [name]: '0' }))).toEqual([name])
    expect(names(check({ [name]: 'ten' }))).toEqual([name])
  })

  it('floors the keep-alive interval at 5 seconds and falls back to the default window with a warning', () => {
    const r = check({ BROKER_KEEPALIVE_INTERVAL: '2', BROKER_KEEPALIVE_WINDOW: '9-5' })
    const c = config(r)
    expect(c.broker.keepAlive.intervalSeconds).toBe(5)
    expect(c.broker.keepAlive.window).toEqual({
      start: { hour: 9, minute: 0 },
      end: { hour: 23, minute: 30 },
    })
    expect(r.warnings.find((w) => w.variable === 'BROKER_KEEPALIVE_WINDOW')?.code).toBe(
      'invalid_value_default_used',
    )
  })
})

describe('logging', () => {
  it.each([
    ['DEBUG', 'debug'],
    ['info', 'info'],
    ['WARNING', 'warn'],
    ['Error', 'error'],
    ['CRITICAL', 'fatal'],
  ])('maps LOG_LEVEL %s to pino level %s', (text, level) => {
    expect(config(check({ LOG_LEVEL: text })).logging.level).toBe(level)
  })

  it('refuses an unknown LOG_LEVEL', () => {
    expect(names(check({ LOG_LEVEL: 'WARN' }))).toEqual(['LOG_LEVEL'])
  })

  it.each(['0', '-1', 'x', ''])('refuses LOG_RETENTION %j', (text) => {
    expect(names(check({ LOG_RETENTION: text }))).toEqual(['LOG_RETENTION'])
  })

  it('refuses blank LOG_DIR and LOG_FORMAT', () => {
    expect(names(check({ LOG_DIR: ' ', LOG_FORMAT: '' }))).toEqual(['LOG_DIR', 'LOG_FORMAT'])
  })

  it('resolves LOG_DIR against the repository root', () => {
    expect(config(check({ LOG_DIR: 'logs' }, { rootDir: '/srv/oa' })).logging.dir).toBe(
      '/srv/oa/logs',
    )
  })
})

describe('sessions and master contract', () => {
  it.each(['03:00', '3:00', '23:59', '00:00'])('accepts SESSION_EXPIRY_TIME %s', (t) => {
    expect(check({ SESSION_EXPIRY_TIME: t }).ok).toBe(true)
  })

  it.each(['24:00', '3', '03:60', '3:5', 'noon', ''])('refuses SESSION_EXPIRY_TIME %j', (t) => {
    expect(names(check({ SESSION_EXPIRY_TIME: t }))).toEqual(['SESSION_EXPIRY_TIME'])
  })

  it('reads cutoffs as H[:MM]', () => {
    const c = config(
      check({ MASTER_CONTRACT_CUTOFF_TIME: '9', CRYPTO_MASTER_CONTRACT_CUTOFF_TIME: '5:30' }),
    )
    expect(c.session.masterContractCutoff).toEqual({ hour: 9, minute: 0 })
    expect(c.session.cryptoMasterContractCutoff).toEqual({ hour: 5, minute: 30 })
  })

  it('warns and keeps the default on a bad cutoff, as the original', () => {
    const r = check({
      MASTER_CONTRACT_CUTOFF_TIME: 'eight',
      CRYPTO_MASTER_CONTRACT_CUTOFF_TIME: '25:00',
    })
    expect(config(r).session.masterContractCutoff).toEqual({ hour: 8, minute: 0 })
    expect(config(r).session.cryptoMasterContractCutoff).toEqual({ hour: 0, minute: 0 })
    expect(
      r.warnings.filter((w) => w.code === 'invalid_value_default_used').map(formatWarning),
    ).toEqual([
      'MASTER_CONTRACT_CUTOFF_TIME: invalid time "eight", using the default 08:00 IST; write HH:MM (24-hour)',
      'CRYPTO_MASTER_CONTRACT_CUTOFF_TIME: invalid time "25:00", using the default 00:00 UTC; write HH:MM (24-hour)',
    ])
  })
})

describe('REDIRECT_URL (§2.6, in order) and VALID_BROKERS', () => {
  const msg = (over: Record<string, string | undefined>): string | undefined =>
    problems(check(over)).find((p) => p.variable === 'REDIRECT_URL')?.message

  it('1: refuses the sample default literally', () => {
    expect(msg({ REDIRECT_URL: 'http://127.0.0.1:5000/<broker>/callback' })).toMatch(
      /^Default REDIRECT_URL detected/,
    )
  })

  it('2: refuses any URL still containing <broker>', () => {
    expect(msg({ REDIRECT_URL: 'https://x.example/<broker>/callback' })).toMatch(
      /^Invalid REDIRECT_URL configuration detected/,
    )
  })

  it('3: refuses an empty VALID_BROKERS, naming VALID_BROKERS', () => {
    const [p] = problems(check({ VALID_BROKERS: ' , ' }))
    expect(p).toMatchObject({ variable: 'VALID_BROKERS' })
    expect(p?.message).toMatch(/^VALID_BROKERS not configured/)
    expect(names(check({ VALID_BROKERS: undefined }))).toEqual(['VALID_BROKERS'])
  })

  it('4: requires the /<broker>/callback shape', () => {
    expect(msg({ REDIRECT_URL: 'http://127.0.0.1:5000/zerodha/cb' })).toMatch(
      /^Invalid REDIRECT_URL format/,
    )
  })

  it('5: requires the broker to be one of VALID_BROKERS, listing them sorted', () => {
    const r = check({
      REDIRECT_URL: 'http://127.0.0.1:5000/acme/callback',
      VALID_BROKERS: 'zerodha, simulator',
    })
    expect(problems(r)[0]?.message).toMatch(/^Invalid broker name in REDIRECT_URL: 'acme'/)
    expect(problems(r)[0]?.fix).toBe('Use one of: simulator, zerodha (or add it to VALID_BROKERS).')
  })

  it('refuses a non-http scheme', () => {
    expect(names(check({ REDIRECT_URL: 'ftp://x' }))).toEqual(['REDIRECT_URL'])
    expect(names(check({ REDIRECT_URL: 'ftp://host/simulator/callback' }))).toEqual([
      'REDIRECT_URL',
    ])
  })

  it('lower-cases the broker and the list', () => {
    const c = config(
      check({
        REDIRECT_URL: 'http://127.0.0.1:5000/SIMULATOR/callback',
        VALID_BROKERS: ' Simulator ,Zerodha',
      }),
    )
    expect(c.broker.name).toBe('simulator')
    expect(c.broker.validBrokers).toEqual(['simulator', 'zerodha'])
  })
})

describe('BROKER_API_KEY per broker (§2.5)', () => {
  const withBroker = (broker: string, key: string): ReturnType<typeof check> =>
    check({ REDIRECT_URL: `http://127.0.0.1:5000/${broker}/callback`, BROKER_API_KEY: key })

  it('requires exactly two ::: separators for 5paisa, with the original message and example', () => {
    expect(withBroker('fivepaisa', 'abc123xyz:::12345678:::5P12345678').ok).toBe(true)
    for (const key of ['abc123xyz:::12345678', 'a:::b:::c:::d', 'plain', '']) {
      const [p] = problems(withBroker('fivepaisa', key))
      expect(p?.variable).toBe('BROKER_API_KEY')
    }
    const line = formatProblem(problems(withBroker('fivepaisa', 'abcdef:::123456'))[0]!)
    expect(line).toBe(
      "BROKER_API_KEY: Invalid 5paisa API key format detected! For 5paisa it must be 'User_Key:::User_ID:::client_id' (2 ':::' separators), found (hidden, 15 chars, 1 ':::' separator). Example: BROKER_API_KEY = 'abc123xyz:::12345678:::5P12345678' with BROKER_API_SECRET = 'your_encryption_key'; see https://docs.openalgo.in/connect-brokers/brokers/5paisa.",
    )
  })

  it.each([
    ['flattrade', 'FT123456:::your_api_key_here', 'Invalid Flattrade API key format detected!'],
    ['dhan', '1234567890:::your_dhan_apikey', 'Invalid Dhan API key format detected!'],
  ])('requires exactly one ::: separator for %s', (broker, good, message) => {
    expect(withBroker(broker, good).ok).toBe(true)
    for (const key of ['noseparator', 'a:::b:::c']) {
      const [p] = problems(withBroker(broker, key))
      expect(p?.message.startsWith(message)).toBe(true)
    }
  })

  it.each(['zerodha', 'angel', 'upstox', 'fyers'])(
    'requires a real key for %s: not empty, not the sample placeholder',
    (broker) => {
      expect(withBroker(broker, 'k1t3c0nn3ct').ok).toBe(true)
      for (const key of ['', '   ', 'YOUR_BROKER_API_KEY']) {
        const [p] = problems(withBroker(broker, key))
        expect(p?.variable).toBe('BROKER_API_KEY')
        expect(p?.fix).toMatch(/^Set BROKER_API_KEY to .+app/)
      }
    },
  )

  it('needs no credentials for the simulator', () => {
    expect(withBroker('simulator', '').ok).toBe(true)
    expect(withBroker('simulator', 'YOUR_BROKER_API_KEY').ok).toBe(true)
  })

  it('leaves brokers without a documented shape alone', () => {
    expect(withBroker('shoonya', 'anything').ok).toBe(true)
  })
})

describe('secrets (§2.9, §2.10, W-34)', () => {
  it.each([
    ['the placeholder', PLACEHOLDER_APP_KEY],
    [
      'the leaked literal of env_check.py',
      '3daa0403ce2501ee7432b75bf100048e3cf510d63d2754f952e93d88bf07ea84',
    ],
    [
      'the leaked literal of start.sh',
      '3daa0403ce2501ee7432b75bf100048e3cf510d63d2754f952729a991d8e2417',
    ],
  ])('refuses APP_KEY set to %s', (_label, value) => {
    const [p] = problems(check({ APP_KEY: value }))
    expect(p).toMatchObject({ variable: 'APP_KEY', code: 'compromised_secret' })
    expect(formatProblem(p!)).not.toContain(value)
  })

  it('refuses an APP_KEY or API_KEY_PEPPER shorter than 32 characters', () => {
    const r = check({ APP_KEY: 'x'.repeat(31), API_KEY_PEPPER: 'y'.repeat(10) })
    expect(problems(r).map((p) => [p.variable, p.message])).toEqual([
      ['APP_KEY', 'must be at least 32 characters (got 31)'],
      ['API_KEY_PEPPER', 'must be at least 32 characters (got 10)'],
    ])
    expect(check({ APP_KEY: 'x'.repeat(32) }).ok).toBe(true)
  })

  it.each([
    PLACEHOLDER_API_KEY_PEPPER,
    'a25d94718479b170c16278e321ea6c989358bf499a658fd20c90033cef8ce772',
  ])('starts with a public API_KEY_PEPPER but warns on every start', (value) => {
    const r = check({ API_KEY_PEPPER: value })
    expect(r.ok).toBe(true)
    const w = r.warnings.find((x) => x.code === 'compromised_pepper')
    expect(w?.severity).toBe('warn')
    expect(formatWarning(w!)).not.toContain(value)
  })

  it('uses a valid FERNET_SALT', () => {
    expect(config(check()).secrets.fernetSalt).toBe(SECRETS.FERNET_SALT)
    expect(check().warnings.some((w) => w.code === 'legacy_fernet_salt')).toBe(false)
  })

  it.each([
    ['absent', undefined],
    ['the placeholder', PLACEHOLDER_FERNET_SALT],
    ['too short', 'abcdef'],
    ['not hex', 'z'.repeat(40)],
  ])('falls back to the legacy salt with a warning when FERNET_SALT is %s', (_label, value) => {
    const r = check({ FERNET_SALT: value })
    expect(config(r).secrets.fernetSalt).toBeNull()
    expect(r.warnings.find((w) => w.code === 'legacy_fernet_salt')?.variable).toBe('FERNET_SALT')
  })

  it('never prints a secret in any problem or warning', () => {
    const leaky = {
      APP_KEY: 'short-app-key-SECRET1',
      API_KEY_PEPPER: 'short-pepper-SECRET2',
      FERNET_SALT: 'not-a-salt-SECRET3',
      BROKER_API_KEY: 'SECRET4KEY:::only-one',
      BROKER_API_SECRET: 'SECRET5',
      REDIRECT_URL: 'http://127.0.0.1:5000/fivepaisa/callback',
    }
    const r = check(leaky, {
      processEnv: { BROKER_API_KEY_MARKET: 'SECRET6', APP_KEY: 'short-app-key-SECRET1' },
    })
    const lines = [...problems(r).map(formatProblem), ...r.warnings.map(formatWarning)]
    expect(lines.length).toBeGreaterThanOrEqual(4)
    for (const line of lines) expect(line).not.toMatch(/SECRET\d/)
    expect(lines.join('\n')).toContain('(hidden, 21 chars)')
  })

  it('hides a database password in a problem', () => {
    const [p] = problems(check({ DATABASE_URL: 'postgresql://oa:hunter2@db:5432/oa' }))
    expect(p).toMatchObject({ variable: 'DATABASE_URL', code: 'unsupported' })
    expect(formatProblem(p!)).toContain('postgresql://oa:***@db:5432/oa')
    expect(formatProblem(p!)).not.toContain('hunter2')
    expect(p?.message).toBe('only SQLite is supported')
  })
})

describe('storage', () => {
  it('puts every relative SQLite file in OA_DATA_DIR, resolved against the repository root', () => {
    const c = config(
      check(
        {
          OA_DATA_DIR: 'data',
          DATABASE_URL: 'sqlite:///db/openalgo.db',
          LOGS_DATABASE_URL: 'sqlite:///other/dir/logs.db',
        },
        { rootDir: '/srv/oa' },
      ),
    )
    expect(c.storage.dataDir).toBe('/srv/oa/data')
    expect(c.storage.mainDb).toBe('/srv/oa/data/openalgo.db')
    expect(c.storage.logsDb).toBe('/srv/oa/data/logs.db')
  })

  it('defaults OA_DATA_DIR to db and keeps an absolute one', () => {
    expect(config(check({ OA_DATA_DIR: undefined }, { rootDir: '/srv/oa' })).storage.dataDir).toBe(
      '/srv/oa/db',
    )
    expect(config(check({ OA_DATA_DIR: '/var/lib/oa' })).storage.sandboxDb).toBe(
      '/var/lib/oa/sandbox.db',
    )
  })

  it('uses an absolute sqlite://// URL as it is', () => {
    expect(
      config(check({ HEALTH_DATABASE_URL: 'sqlite:////mnt/fast/health.db' })).storage.healthDb,
    ).toBe('/mnt/fast/health.db')
  })

  it.each(['mysql://root@localhost/oa', 'db/openalgo.db', 'sqlite:///', 'sqlite:///:memory:'])(
    'refuses DATABASE_URL %j',
    (url) => {
      expect(names(check({ DATABASE_URL: url }))).toEqual(['DATABASE_URL'])
    },
  )
})

describe('browser security', () => {
  it('builds CSP directives in the emission order of §7.3 with our defaults when unset', () => {
    const unset = Object.fromEntries(
      listEnvVariables()
        .filter((v) => v.name.startsWith('CSP_') && v.name !== 'CSP_ENABLED')
        .map((v) => [v.name, undefined]),
    )
    const c = config(check(unset))
    expect(c.security.csp.directives).toEqual([
      ['default-src', "'self'"],
      ['script-src', "'self' https://cdn.socket.io"],
      ['style-src', "'self' 'unsafe-inline'"],
      ['img-src', "'self' data: blob:"],
      ['connect-src', "'self' wss: ws:"],
      ['font-src', "'self'"],
      ['object-src', "'none'"],
      ['media-src', "'self'"],
      ['frame-src', "'self'"],
      ['form-action', "'self'"],
      ['base-uri', "'self'"],
      ['frame-ancestors', "'self'"],
    ])
    expect(c.security.csp.directives.find(([d]) => d === 'script-src')?.[1]).not.toContain(
      'unsafe-inline',
    )
    expect(c.security.csp.headerName).toBe('Content-Security-Policy')
  })

  it('places optional directives where the original emits them and omits empty ones', () => {
    const c = config(
      check({
        CSP_CHILD_SRC: "'self'",
        CSP_UPGRADE_INSECURE_REQUESTS: 'TRUE',
        CSP_REPORT_URI: '/csp-report',
        CSP_REPORT_TO: 'csp',
        CSP_MEDIA_SRC: '',
        CSP_REPORT_ONLY: 'TRUE',
      }),
    )
    const order = c.security.csp.directives.map(([d]) => d)
    expect(order.slice(order.indexOf('frame-src'))).toEqual([
      'frame-src',
      'child-src',
      'form-action',
      'base-uri',
      'frame-ancestors',
      'upgrade-insecure-requests',
      'report-uri',
      'report-to',
    ])
    expect(order).not.toContain('media-src')
    expect(c.security.csp.headerName).toBe('Content-Security-Policy-Report-Only')
    expect(c.security.csp.headerValue).toContain(
      "frame-ancestors 'self'; upgrade-insecure-requests; report-uri /csp-report",
    )
  })

  it('emits no CSP when disabled', () => {
    const c = config(check({ CSP_ENABLED: 'FALSE' }))
    expect(c.security.csp.directives).toEqual([])
    expect(c.security.csp.headerValue).toBe('')
  })

  it('refuses a CSP value that would inject another directive', () => {
    expect(names(check({ CSP_IMG_SRC: "'self'; script-src *" }))).toEqual(['CSP_IMG_SRC'])
  })

  it("warns when script-src allows 'unsafe-inline'", () => {
    const r = check({ CSP_SCRIPT_SRC: "'self' 'unsafe-inline'" })
    expect(r.warnings.find((w) => w.code === 'weak_csp')?.variable).toBe('CSP_SCRIPT_SRC')
  })

  it('sends no CORS at all when disabled (W-10)', () => {
    const c = config(check({ CORS_ENABLED: 'FALSE', CORS_ALLOWED_ORIGINS: 'https://a.example' }))
    expect(c.security.cors).toEqual({
      enabled: false,
      allowedOrigins: [],
      allowedMethods: [],
      allowedHeaders: [],
      exposedHeaders: [],
      allowCredentials: false,
      maxAgeSeconds: null,
    })
  })

  it('reads the CORS lists when enabled', () => {
    const c = config(
      check({
        CORS_ENABLED: 'TRUE',
        CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
        CORS_ALLOW_CREDENTIALS: 'TRUE',
        CORS_MAX_AGE: '600',
        CORS_EXPOSED_HEADERS: '',
      }),
    )
    expect(c.security.cors.allowedOrigins).toEqual(['https://a.example', 'https://b.example'])
    expect(c.security.cors.allowCredentials).toBe(true)
    expect(c.security.cors.maxAgeSeconds).toBe(600)
    expect(c.security.cors.exposedHeaders).toEqual([])
  })

  it('refuses credentials with a wildcard origin', () => {
    expect(
      names(
        check({ CORS_ENABLED: 'TRUE', CORS_ALLOWED_ORIGINS: '*', CORS_ALLOW_CREDENTIALS: 'TRUE' }),
      ),
    ).toEqual(['CORS_ALLOW_CREDENTIALS'])
  })

  it('refuses a non-numeric CORS_MAX_AGE', () => {
    expect(names(check({ CORS_MAX_AGE: '1 day' }))).toEqual(['CORS_MAX_AGE'])
  })

  it('reads CSRF_TIME_LIMIT: empty means the session, digits mean seconds', () => {
    expect(config(check({ CSRF_TIME_LIMIT: '' })).security.csrf.timeLimitSeconds).toBeNull()
    expect(config(check({ CSRF_TIME_LIMIT: '3600' })).security.csrf.timeLimitSeconds).toBe(3600)
    expect(names(check({ CSRF_TIME_LIMIT: 'an hour' }))).toEqual(['CSRF_TIME_LIMIT'])
  })

  it('refuses a cookie name a browser would not accept', () => {
    expect(names(check({ SESSION_COOKIE_NAME: 'my session' }))).toEqual(['SESSION_COOKIE_NAME'])
    expect(names(check({ SESSION_COOKIE_NAME: '' }))).toEqual(['SESSION_COOKIE_NAME'])
  })

  it('keeps REFERRER_POLICY and PERMISSIONS_POLICY defaults and lets an empty value omit them', () => {
    expect(config(check()).security.referrerPolicy).toBe('strict-origin-when-cross-origin')
    expect(config(check({ PERMISSIONS_POLICY: '' })).security.permissionsPolicy).toBe('')
  })
})

describe('health monitor and simulator', () => {
  it('reads thresholds and refuses a warning above its critical level', () => {
    const c = config(
      check({ HEALTH_MEMORY_WARNING_THRESHOLD: '3000', HEALTH_MEMORY_CRITICAL_THRESHOLD: '5000' }),
    )
    expect(c.health.memoryMb).toEqual({ warning: 3000, critical: 5000 })
    expect(names(check({ HEALTH_DB_WARNING_THRESHOLD: '30' }))).toEqual([
      'HEALTH_DB_WARNING_THRESHOLD',
    ])
    expect(names(check({ HEALTH_SAMPLE_INTERVAL: 'fast' }))).toEqual(['HEALTH_SAMPLE_INTERVAL'])
  })

  it('reads OA_SIMULATOR_SEED, default 1', () => {
    expect(config(check({ OA_SIMULATOR_SEED: undefined })).simulator.seed).toBe(1)
    expect(config(check({ OA_SIMULATOR_SEED: '42' })).simulator.seed).toBe(42)
    expect(names(check({ OA_SIMULATOR_SEED: '-3' }))).toEqual(['OA_SIMULATOR_SEED'])
  })

  it('reads OA_SIMULATOR_EXTRA_STRIKES, default 0, a whole number up to 200', () => {
    const strikes = (v: string | undefined): number =>
      config(check({ OA_SIMULATOR_EXTRA_STRIKES: v })).simulator.extraStrikes
    expect(strikes(undefined)).toBe(0)
    expect(strikes('12')).toBe(12)
    expect(strikes('200')).toBe(200)
    for (const bad of ['-1', '201', '1.5', 'wide']) {
      expect(names(check({ OA_SIMULATOR_EXTRA_STRIKES: bad })), bad).toEqual([
        'OA_SIMULATOR_EXTRA_STRIKES',
      ])
    }
  })
})

describe('process environment precedence', () => {
  it('lets the process environment win over .env, and says which variables it overrode', () => {
    const r = check({}, { processEnv: { FLASK_PORT: '7000', LOG_LEVEL: 'INFO', PATH: '/usr/bin' } })
    expect(config(r).server.port).toBe(7000)
    const notice = r.warnings.find((w) => w.code === 'env_override')
    expect(notice).toMatchObject({
      severity: 'info',
      message: 'the process environment overrides .env for FLASK_PORT',
    })
  })

  it('lets an empty process variable win too (present, as in the original)', () => {
    expect(names(check({}, { processEnv: { FLASK_PORT: '' } }))).toEqual(['FLASK_PORT'])
  })

  it('never prints override values', () => {
    const r = check({}, { processEnv: { APP_KEY: 'b'.repeat(64) } })
    expect(r.warnings.map(formatWarning).join('\n')).not.toContain('b'.repeat(64))
  })

  it('runs on the process environment alone when .env is missing', () => {
    const env = Object.fromEntries(validVars())
    const r = checkEnv({
      rootDir: '/srv/oa',
      fileVars: null,
      processEnv: env,
      sampleText: sampleText(),
    })
    expect(r.ok).toBe(true)
    expect(r.warnings.map((w) => w.code)).toContain('no_env_file')
  })

  it('reports one .env problem, not 29 missing variables, when there is no configuration at all', () => {
    const r = checkEnv({
      rootDir: '/srv/oa',
      fileVars: null,
      processEnv: { FLASK_PORT: 'x' },
      sampleText: null,
    })
    expect(problems(r).map((p) => [p.variable, p.code])).toEqual([
      ['.env', 'env_file_missing'],
      ['FLASK_PORT', 'invalid'],
    ])
  })
})

describe('parse warnings', () => {
  it('warns about a .env line it had to skip, by number, without its content', () => {
    const r = checkEnv({
      rootDir: '/srv/oa',
      fileVars: validVars(),
      fileSyntaxErrors: [{ line: 12, key: 'APP_KEY' }],
      processEnv: {},
      sampleText: sampleText(),
    })
    expect(r.warnings.map(formatWarning)).toContain(
      "APP_KEY: line 12 of .env could not be parsed and was ignored; write NAME = 'value'",
    )
  })
})
