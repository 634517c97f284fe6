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
    expect(r.stdout).toMatch(
      /no \.env found: wrote .* with fresh random APP_KEY, API_KEY_PEPPER, FERNET_SALT/i,
    )
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
