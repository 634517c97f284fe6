import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.js'
import { captureStream, tempInstall } from './helpers.js'

async function run(argv: string[], env: Record<string, string>) {
  const out = captureStream()
  const err = captureStream()
  const code = await main(argv, { env, stdout: out.stream, stderr: err.stream })
  return { code, stdout: out.text(), stderr: err.text() }
}

describe('oa check-env', () => {
  it('exits 0 on a valid .env', async () => {
    const install = await tempInstall()
    const r = await run(['check-env'], install.env)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('environment OK')
  })

  it('prints three problems, one line each naming the variable, and exits 1', async () => {
    const install = await tempInstall((text) =>
      text
        .replace(/^APP_KEY\s*=.*$/m, '')
        .replace(/^FLASK_PORT\s*=.*$/m, "FLASK_PORT = 'abc'")
        .replace(/^REDIRECT_URL\s*=.*$/m, "REDIRECT_URL = 'ftp://x'"),
    )
    const r = await run(['check-env'], install.env)
    expect(r.code).toBe(1)
    const lines = r.stderr.split('\n').filter((l) => /^[A-Z_]+\b/.test(l))
    expect(lines).toHaveLength(3)
    expect(lines.map((l) => l.split(/[\s:]/)[0]).sort()).toEqual([
      'APP_KEY',
      'FLASK_PORT',
      'REDIRECT_URL',
    ])
  })

  it('never prints a secret', async () => {
    const install = await tempInstall((text) =>
      text.replace(/^APP_KEY\s*=.*$/m, "APP_KEY = 'short-secret-value'"),
    )
    const r = await run(['check-env'], install.env)
    expect(r.code).toBe(1)
    expect(r.stdout + r.stderr).toContain('APP_KEY')
    expect(r.stdout + r.stderr).not.toContain('short-secret-value')
  })

  it('writes a .env with fresh secrets on first run and says so', async () => {
    const install = await tempInstall()
    const envFile = join(install.dir, 'first-run.env')
    const r = await run(['check-env'], { ...install.env, OA_ENV_FILE: envFile })
    expect(existsSync(envFile)).toBe(true)
    expect(r.stderr).toMatch(
      /no \.env found: wrote .* with fresh random APP_KEY, API_KEY_PEPPER, FERNET_SALT/i,
    )
    // stdout carries only the command's own answer
    expect(r.stdout).not.toMatch(/no \.env found/i)
    const text = readFileSync(envFile, 'utf8')
    expect(text).not.toContain('OPENALGO_PLACEHOLDER')
    expect(r.code).toBe(0)
  })

  it('rejects an unknown command', async () => {
    const r = await run(['frobnicate'], {})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('unknown command "frobnicate"')
  })
})

describe('moving an OpenAlgo database in (FERNET_SALT case D)', () => {
  it('writes a fresh salt and re-encrypts the legacy-salt broker token before anything else runs', async () => {
    const { createFernet, deriveFernetKey, secureRandom } = await import('@oa/auth-cache')
    const { openSqlite } = await import('@oa/db')
    const { mkdirSync } = await import('node:fs')
    const install = await tempInstall((text) => text.replace(/^FERNET_SALT\s*=.*$/m, ''))
    const pepper = /^API_KEY_PEPPER\s*=\s*'([0-9a-f]+)'/m.exec(
      readFileSync(install.envFile, 'utf8'),
    )![1]!
    const clock = { now: () => Date.now() }
    const legacy = createFernet(deriveFernetKey(pepper, null), { clock, random: secureRandom })
    mkdirSync(install.dataDir, { recursive: true })
    const db = openSqlite(join(install.dataDir, 'openalgo.db'))
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, totp_secret TEXT)')
    db.exec('CREATE TABLE auth (id INTEGER PRIMARY KEY, name TEXT, auth TEXT)')
    db.prepare('INSERT INTO users (username, totp_secret) VALUES (?, ?)').run(
      'trader',
      legacy.encrypt('TOTPSECRET'),
    )
    db.prepare('INSERT INTO auth (name, auth) VALUES (?, ?)').run(
      'trader',
      legacy.encrypt('broker-token'),
    )
    db.close()

    const r = await run(['check-env'], install.env)
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/re-encrypted 2 stored secret/)
    const salt = /^FERNET_SALT\s*=\s*'([0-9a-f]{32,})'/m.exec(
      readFileSync(install.envFile, 'utf8'),
    )?.[1]
    expect(salt).toBeDefined()
    const current = createFernet(deriveFernetKey(pepper, salt!), { clock, random: secureRandom })
    const after = openSqlite(join(install.dataDir, 'openalgo.db'), { readonly: true })
    const row = after.prepare('SELECT auth FROM auth').get() as { auth: string }
    after.close()
    expect(current.decrypt(row.auth)).toBe('broker-token')
  })
})
