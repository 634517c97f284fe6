import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PLACEHOLDER_APP_KEY, PLACEHOLDER_API_KEY_PEPPER } from './constants.js'
import { parseDotenv } from './dotenv.js'
import { applyEnvEdits, ensureEnvFile, loadEnv } from './env-file.js'
import { formatProblem } from './format.js'
import { SECRETS, sampleText, tempDir, validVars } from './test-helpers/env.js'

/** A repository root with the real .sample.env and, optionally, a .env. */
function root(envText?: string): string {
  const dir = tempDir()
  writeFileSync(join(dir, '.sample.env'), sampleText())
  if (envText !== undefined) writeFileSync(join(dir, '.env'), envText)
  return dir
}

function validEnvText(): string {
  let text = sampleText()
  for (const [k, v] of Object.entries(SECRETS))
    text = text.replace(new RegExp(`^${k} = '[^']*'`, 'm'), `${k} = '${v}'`)
  return text
}

describe('ensureEnvFile: first run', () => {
  it('writes .env from .sample.env with three fresh, distinct secrets, mode 0600', () => {
    const dir = root()
    const r = ensureEnvFile({ rootDir: dir })
    expect(r).toMatchObject({ created: true, problems: [] })
    expect(r.generated).toEqual(['APP_KEY', 'API_KEY_PEPPER', 'FERNET_SALT'])
    expect(statSync(r.path).mode & 0o777).toBe(0o600)
    const vars = parseDotenv(readFileSync(r.path, 'utf8'))
    expect(vars.get('APP_KEY')).toMatch(/^[0-9a-f]{64}$/)
    expect(vars.get('API_KEY_PEPPER')).toMatch(/^[0-9a-f]{64}$/)
    expect(vars.get('FERNET_SALT')).toMatch(/^[0-9a-f]{32}$/)
    const secrets = [vars.get('APP_KEY'), vars.get('API_KEY_PEPPER'), vars.get('FERNET_SALT')]
    expect(new Set(secrets).size).toBe(3)
    expect(secrets[1]?.startsWith(secrets[2] ?? '-')).toBe(false)
    expect(r.notices[0]?.message).toMatch(
      /^no \.env found: wrote .+ with fresh random APP_KEY, API_KEY_PEPPER, FERNET_SALT/,
    )
    // and it validates as is
    expect(loadEnv({ rootDir: dir, processEnv: {} }).ok).toBe(true)
  })

  it('uses the injected randomness', () => {
    const r = ensureEnvFile({
      rootDir: root(),
      randomHex: (n) => (n === 16 ? 'c'.repeat(32) : 'd'.repeat(64)),
    })
    expect(parseDotenv(readFileSync(r.path, 'utf8')).get('FERNET_SALT')).toBe('c'.repeat(32))
  })

  it('keeps everything else of the sample byte for byte', () => {
    const r = ensureEnvFile({ rootDir: root(), randomHex: (n) => 'e'.repeat(n * 2) })
    const written = readFileSync(r.path, 'utf8')
    const expected = sampleText()
      .replace(PLACEHOLDER_APP_KEY, 'e'.repeat(64))
      .replace(PLACEHOLDER_API_KEY_PEPPER, 'e'.repeat(64))
      .replace('OPENALGO_PLACEHOLDER_FERNET_SALT_REGENERATE_BEFORE_USE', 'e'.repeat(32))
    expect(written).toBe(expected)
  })

  it('takes sample variables from the process environment (Docker / cloud first run)', () => {
    const dir = root()
    const r = ensureEnvFile({
      rootDir: dir,
      processEnv: {
        HOST_SERVER: 'https://trade.example.com',
        FLASK_PORT: '8080',
        WEBSOCKET_URL: 'wss://trade.example.com/ws',
        GREEKS_RATE_LIMIT: '60 per minute',
        ENV_CONFIG_VERSION: '1.0.4',
        PATH: '/usr/bin',
        SOMETHING_ELSE: 'x',
      },
    })
    const vars = parseDotenv(readFileSync(r.path, 'utf8'))
    expect(vars.get('HOST_SERVER')).toBe('https://trade.example.com')
    expect(vars.get('FLASK_PORT')).toBe('8080')
    expect(vars.get('GREEKS_RATE_LIMIT')).toBe('60 per minute') // was a commented-out line
    expect(vars.get('ENV_CONFIG_VERSION')).toBe(parseDotenv(sampleText()).get('ENV_CONFIG_VERSION'))
    expect(vars.has('PATH')).toBe(false)
    expect(vars.has('SOMETHING_ELSE')).toBe(false)
    expect(r.copiedFromEnvironment).toEqual([
      'HOST_SERVER',
      'FLASK_PORT',
      'WEBSOCKET_URL',
      'GREEKS_RATE_LIMIT',
    ])
    // the next start without those variables sees the same configuration
    const loaded = loadEnv({ rootDir: dir, processEnv: {} })
    expect(loaded.ok && loaded.config.server.port).toBe(8080)
  })

  it('keeps a secret passed in the process environment instead of generating one', () => {
    const r = ensureEnvFile({ rootDir: root(), processEnv: { APP_KEY: SECRETS.APP_KEY } })
    expect(r.generated).toEqual(['API_KEY_PEPPER', 'FERNET_SALT'])
    expect(parseDotenv(readFileSync(r.path, 'utf8')).get('APP_KEY')).toBe(SECRETS.APP_KEY)
  })

  it('warns when a database already exists beside the new .env', () => {
    const dir = root()
    mkdirSync(join(dir, 'db'))
    writeFileSync(join(dir, 'db', 'openalgo.db'), '')
    const r = ensureEnvFile({ rootDir: dir })
    expect(r.notices.map((n) => n.severity)).toEqual(['info', 'warn'])
  })

  it('fills an empty .env, as the Docker image ships one, writing through the same file', () => {
    const dir = root('\n')
    const inode = statSync(join(dir, '.env')).ino
    const r = ensureEnvFile({ rootDir: dir })
    expect(r.created).toBe(true)
    expect(r.generated).toEqual(['APP_KEY', 'API_KEY_PEPPER', 'FERNET_SALT'])
    expect(statSync(join(dir, '.env')).ino).not.toBe(inode) // replaced atomically: not a mount
    expect(loadEnv({ rootDir: dir, processEnv: {} }).ok).toBe(true)
  })

  it('reports a missing .sample.env as a problem', () => {
    const r = ensureEnvFile({ rootDir: tempDir() })
    expect(r.created).toBe(false)
    expect(r.problems[0]).toMatchObject({ variable: '.sample.env', code: 'env_file_missing' })
  })
})

describe('ensureEnvFile: existing .env', () => {
  it('leaves a healthy .env untouched', () => {
    const dir = root(validEnvText())
    const before = statSync(join(dir, '.env'))
    const r = ensureEnvFile({ rootDir: dir })
    expect(r).toMatchObject({ created: false, generated: [], problems: [], notices: [] })
    expect(statSync(join(dir, '.env')).ino).toBe(before.ino)
  })

  it('replaces all public secrets of a copied sample while no database exists', () => {
    const dir = root(sampleText())
    const r = ensureEnvFile({ rootDir: dir })
    expect(r.generated).toEqual(['APP_KEY', 'API_KEY_PEPPER', 'FERNET_SALT'])
    expect(loadEnv({ rootDir: dir, processEnv: {} }).ok).toBe(true)
  })

  it('keeps the pepper when the database file exists (populated when in doubt)', () => {
    const dir = root(sampleText())
    mkdirSync(join(dir, 'db'))
    writeFileSync(join(dir, 'db', 'openalgo.db'), '')
    const r = ensureEnvFile({ rootDir: dir })
    expect(r.generated).toEqual(['APP_KEY', 'FERNET_SALT'])
    const loaded = loadEnv({ rootDir: dir, processEnv: {} })
    expect(loaded.ok).toBe(true)
    expect(loaded.warnings.map((w) => w.code)).toContain('compromised_pepper')
  })

  it('asks the injected probe whether the database has users', () => {
    const dir = root(sampleText())
    mkdirSync(join(dir, 'db'))
    writeFileSync(join(dir, 'db', 'openalgo.db'), '')
    const r = ensureEnvFile({ rootDir: dir, isDatabasePopulated: () => false })
    expect(r.generated).toContain('API_KEY_PEPPER')
  })

  it('preserves CRLF line endings while rotating', () => {
    const dir = root(sampleText().replace(/\n/g, '\r\n'))
    ensureEnvFile({ rootDir: dir })
    const text = readFileSync(join(dir, '.env'), 'utf8')
    expect(text.replace(/\r\n/g, '')).not.toContain('\n')
    expect(loadEnv({ rootDir: dir, processEnv: {} }).ok).toBe(true)
  })

  it('passes case E on as a problem', () => {
    const text = validEnvText().replace(/^FERNET_SALT = .*\n/m, '')
    const rootDir = root(text)
    // the probe is only consulted when the main database file exists
    mkdirSync(join(rootDir, 'db'), { recursive: true })
    writeFileSync(join(rootDir, 'db', 'openalgo.db'), '')
    const seen: { mainDbPath: string; pepper: string }[] = []
    const r = ensureEnvFile({
      rootDir,
      probeLegacyCiphertext: (context) => {
        seen.push(context)
        return 'undecryptable'
      },
    })
    expect(r.problems.map((p) => p.code)).toEqual(['fernet_salt_lost'])
    expect(seen).toEqual([
      { mainDbPath: join(rootDir, 'db', 'openalgo.db'), pepper: expect.stringMatching(/^.{32,}$/) },
    ])
  })
})

describe('applyEnvEdits', () => {
  it('rewrites the file atomically with mode 0600 and reports unchanged edits', () => {
    const dir = tempDir()
    const path = join(dir, '.env')
    writeFileSync(path, "A = 'x'\r\nB=2\r\n", { mode: 0o644 })
    expect(applyEnvEdits(path, [{ op: 'set', variable: 'A', value: 'y' }])).toEqual({
      method: 'rename',
    })
    expect(readFileSync(path, 'utf8')).toBe("A = 'y'\r\nB=2\r\n")
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(applyEnvEdits(path, [{ op: 'set', variable: 'A', value: 'y' }])).toEqual({
      method: 'unchanged',
    })
  })
})

describe('loadEnv', () => {
  it('reads a CRLF .env', () => {
    const dir = root(validEnvText().replace(/\n/g, '\r\n'))
    const r = loadEnv({ rootDir: dir, processEnv: {} })
    expect(r.ok && r.config.websocket.port).toBe(8765)
  })

  it('lets the process environment win over .env', () => {
    const dir = root(validEnvText())
    const r = loadEnv({ rootDir: dir, processEnv: { FLASK_PORT: '6000', WEBSOCKET_PORT: '6001' } })
    expect(r.ok && [r.config.server.port, r.config.websocket.port]).toEqual([6000, 6001])
  })

  it('reads a custom env file path and resolves OA_DATA_DIR against rootDir', () => {
    const dir = root()
    const envFile = join(dir, 'custom.env')
    writeFileSync(envFile, validEnvText())
    const r = loadEnv({ rootDir: dir, envFile, processEnv: {} })
    expect(r.ok && r.config.storage.mainDb).toBe(join(dir, 'db', 'openalgo.db'))
  })

  it('reports a missing .env as one problem', () => {
    const r = loadEnv({ rootDir: root(), processEnv: {} })
    expect(!r.ok && r.problems.map(formatProblem)).toEqual([
      ".env: the .env file does not exist and the process environment lacks 30 required variables. Run 'pnpm oa start' once (it writes .env from .sample.env with fresh secrets), or copy .sample.env to .env.",
    ])
  })

  it('reports an empty .env as one problem', () => {
    const r = loadEnv({ rootDir: root('# nothing here\n'), processEnv: {} })
    expect(!r.ok && r.problems.map((p) => [p.variable, p.code, p.found])).toEqual([
      ['.env', 'env_file_missing', '(empty)'],
    ])
  })

  it('reports an unreadable .env as a problem', () => {
    const dir = root()
    mkdirSync(join(dir, '.env'))
    const r = loadEnv({ rootDir: dir, processEnv: {} })
    expect(!r.ok && r.problems[0]).toMatchObject({ code: 'env_file_unreadable', variable: '.env' })
  })

  it('warns about skipped lines and a missing .sample.env', () => {
    const dir = tempDir()
    writeFileSync(join(dir, '.env'), `${validEnvText()}BROKEN='x' y\n`)
    const r = loadEnv({ rootDir: dir, processEnv: {} })
    expect(r.ok).toBe(true)
    expect(r.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['dotenv_syntax', 'sample_missing']),
    )
  })

  it('uses values exactly as a python-dotenv .env holds them', () => {
    const vars = validVars()
    const text = [...vars]
      .map(([k, v]) => `export ${k} = ${JSON.stringify(v)}   # from the sample`)
      .join('\n')
    const r = loadEnv({ rootDir: root(text), processEnv: {} })
    expect(r.ok).toBe(true)
  })
})
