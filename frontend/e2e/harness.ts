/**
 * The browser-test harness: a real `oa start` (the built server, `apps/server/bin/oa.js`) on a
 * temp data dir and free loopback ports, and Debian's chromium through playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const screenshotDir = join(repoRoot, 'artifacts', 'screenshots')

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export interface RunningOa {
  readonly url: string
  readonly dataDir: string
  readonly log: () => string
  stop(): Promise<void>
}

/** Starts `oa start` on a fresh data dir; resolves when `/health/ready` answers 200. */
export async function startOa(extraEnv: Record<string, string> = {}): Promise<RunningOa> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oa-e2e-'))
  const [http, ws] = [await freePort(), await freePort()]
  const host = `http://127.0.0.1:${http}`
  const values: Record<string, string> = {
    APP_KEY: randomBytes(32).toString('hex'),
    API_KEY_PEPPER: randomBytes(32).toString('hex'),
    FERNET_SALT: randomBytes(16).toString('hex'),
    OA_DATA_DIR: dataDir,
    FLASK_PORT: String(http),
    HOST_SERVER: host,
    REDIRECT_URL: `${host}/simulator/callback`,
    WEBSOCKET_PORT: String(ws),
    WEBSOCKET_URL: `ws://127.0.0.1:${ws}`,
    CORS_ALLOWED_ORIGINS: host,
    // the suite logs in many times from one address; the limiter itself is tested in apps/server
    LOGIN_RATE_LIMIT_MIN: '1000 per minute',
    LOGIN_RATE_LIMIT_HOUR: '10000 per hour',
    LOG_LEVEL: 'INFO',
  }
  let text = readFileSync(join(repoRoot, '.sample.env'), 'utf8')
  for (const [name, value] of Object.entries(values)) {
    const line = `${name} = '${value}'`
    const re = new RegExp(`^${name}\\s*=.*$`, 'm')
    text = re.test(text) ? text.replace(re, line) : `${text}\n${line}\n`
  }
  const envFile = join(dataDir, '.env')
  writeFileSync(envFile, text, { mode: 0o600 })
  const output: string[] = []
  const child: ChildProcess = spawn(
    process.execPath,
    [join(repoRoot, 'apps/server/bin/oa.js'), 'start'],
    {
      cwd: repoRoot,
      env: { ...process.env, ...extraEnv, OA_ENV_FILE: envFile, OA_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()))
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`oa start exited with ${child.exitCode}:\n${output.join('')}`)
    try {
      const res = await fetch(`${host}/health/ready`)
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`oa start was not ready within 60 s:\n${output.join('')}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    url: host,
    dataDir,
    log: () => output.join(''),
    async stop() {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 8_000)
      await exited
      clearTimeout(timer)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Debian's chromium, headless, with the flags this closed network needs. playwright-core gives
 * every launch a fresh temp profile (its own `--user-data-dir`, removed on close; it refuses the
 * flag from us), so no state leaks between runs.
 */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return {
    browser,
    async close() {
      await browser.close()
    },
  }
}

export function ensureScreenshotDir(): void {
  mkdirSync(screenshotDir, { recursive: true })
}

/** A tiny runner: named steps, in order; a failed step fails the run but the rest still try. */
export function createRunner() {
  const results: { name: string; status: 'passed' | 'failed' | 'skipped'; note?: string }[] = []
  return {
    async step(name: string, fn: () => Promise<void | { skip: string }>): Promise<boolean> {
      const t0 = Date.now()
      try {
        const r = await fn()
        if (r && 'skip' in r) {
          results.push({ name, status: 'skipped', note: r.skip })
          process.stdout.write(`  - ${name} (skipped: ${r.skip})\n`)
          return false
        }
        results.push({ name, status: 'passed' })
        process.stdout.write(`  ✓ ${name} (${Date.now() - t0} ms)\n`)
        return true
      } catch (error) {
        results.push({ name, status: 'failed', note: String(error) })
        process.stdout.write(`  ✗ ${name}\n    ${String(error).split('\n').join('\n    ')}\n`)
        return false
      }
    },
    summary(): { passed: number; failed: number; skipped: number } {
      const count = (s: string) => results.filter((r) => r.status === s).length
      return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') }
    },
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}
