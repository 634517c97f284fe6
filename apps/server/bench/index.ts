// Startup benchmark: `oa start` on an empty data dir, spawn → first `/health` 200, against a bare
// Hono app's spawn → first 200 measured in the same run (interleaved). Runs the built command.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { percentile, report, type BenchResult } from '@oa/bench-kit'
import { freePort } from './load.js'

const serverDir = fileURLToPath(new URL('../', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const ROUNDS = 7

async function timeToHealthy(
  cmd: string[],
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; log: string }> {
  const t0 = performance.now()
  const child = spawn(process.execPath, cmd, {
    cwd: serverDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr.on('data', (d: Buffer) => (log += d.toString()))
  let ms = Number.NaN
  while (performance.now() - t0 < 30_000) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`)
      if (res.status === 200) {
        ms = performance.now() - t0
        break
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2))
  }
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
  if (Number.isNaN(ms)) throw new Error(`never became healthy:\n${log}`)
  return { ms, log }
}

async function oaRun(): Promise<{ ms: number; readyMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'oa-bench-start-'))
  try {
    const httpPort = await freePort()
    const wsPort = await freePort()
    const text = readFileSync(join(repoRoot, '.sample.env'), 'utf8')
      .replace(/^APP_KEY\s*=.*$/m, `APP_KEY = '${randomBytes(32).toString('hex')}'`)
      .replace(/^API_KEY_PEPPER\s*=.*$/m, `API_KEY_PEPPER = '${randomBytes(32).toString('hex')}'`)
      .replace(/^FERNET_SALT\s*=.*$/m, `FERNET_SALT = '${randomBytes(16).toString('hex')}'`)
    writeFileSync(join(dir, '.env'), text)
    const env = {
      PATH: process.env['PATH'],
      OA_ENV_FILE: join(dir, '.env'),
      OA_DATA_DIR: join(dir, 'db'),
      FLASK_PORT: String(httpPort),
      WEBSOCKET_PORT: String(wsPort),
      WEBSOCKET_URL: `ws://127.0.0.1:${wsPort}`,
    }
    const { ms, log } = await timeToHealthy(['bin/oa.js', 'start'], httpPort, env)
    const ready = /"durationMs":([0-9.]+),[^\n]*"msg":"ready"/.exec(log)
    return { ms, readyMs: Number(ready?.[1] ?? Number.NaN) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function bareRun(): Promise<number> {
  const port = await freePort()
  return (
    await timeToHealthy(['bench/bare-hono.mjs', String(port)], port, { PATH: process.env['PATH'] })
  ).ms
}

/** `oa start` with a bad .env: spawn → exit 1 (the acceptance budget is 2 s). */
async function badEnvRun(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'oa-bench-badenv-'))
  try {
    const text = readFileSync(join(repoRoot, '.sample.env'), 'utf8')
      .replace(/^APP_KEY\s*=.*$/m, '')
      .replace(/^FLASK_PORT\s*=.*$/m, "FLASK_PORT = 'abc'")
      .replace(/^REDIRECT_URL\s*=.*$/m, "REDIRECT_URL = 'ftp://x'")
    writeFileSync(join(dir, '.env'), text)
    const t0 = performance.now()
    const child = spawn(process.execPath, ['bin/oa.js', 'start'], {
      cwd: serverDir,
      env: {
        PATH: process.env['PATH'],
        OA_ENV_FILE: join(dir, '.env'),
        OA_DATA_DIR: join(dir, 'db'),
      },
      stdio: 'ignore',
    })
    const code = await new Promise<number | null>((r) => child.once('exit', r))
    if (code !== 1) throw new Error(`expected exit 1 with a bad .env, got ${code}`)
    return performance.now() - t0
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const badEnv: number[] = []
const oa: number[] = []
const ready: number[] = []
const bare: number[] = []
await bareRun() // warm the file cache for both
await oaRun()
for (let i = 0; i < ROUNDS; i++) {
  bare.push(await bareRun())
  badEnv.push(await badEnvRun())
  const r = await oaRun()
  oa.push(r.ms)
  ready.push(r.readyMs)
}
const med = (v: number[]) => Math.round(percentile(v, 50) * 10) / 10
const results: BenchResult[] = [
  {
    name: 'oa start, empty data dir: spawn → /health 200, ms (lower is better)',
    value: med(oa),
    unit: 'ms',
    baseline: med(bare),
    ratio: Math.round((med(oa) / med(bare)) * 100) / 100,
  },
  {
    name: 'oa start with a bad .env: spawn → exit 1, ms (lower is better; budget 2000)',
    value: med(badEnv),
    unit: 'ms',
    baseline: med(bare),
    ratio: Math.round((med(badEnv) / med(bare)) * 100) / 100,
  },
  {
    name: 'oa start: process start → ready (as logged), ms',
    value: med(ready),
    unit: 'ms',
    baseline: null,
    ratio: null,
  },
]
await report('server-startup', results)
