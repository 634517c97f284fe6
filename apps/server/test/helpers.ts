import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { onTestFinished } from 'vitest'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const serverDir = fileURLToPath(new URL('../', import.meta.url))

/** A free TCP port on loopback (closed again before use; fine for tests on one machine). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

export interface TempInstall {
  readonly dir: string
  readonly envFile: string
  readonly dataDir: string
  readonly httpPort: number
  readonly wsPort: number
  /** the environment to run `oa` with: points it at this install */
  readonly env: Record<string, string>
}

/**
 * A throw-away installation: a `.env` written from the repository's `.sample.env` with real
 * secrets, free loopback ports and a data dir in a temp folder. `edit` may rewrite the .env text.
 */
export async function tempInstall(edit: (text: string) => string = (t) => t): Promise<TempInstall> {
  const dir = mkdtempSync(join(tmpdir(), 'oa-server-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const httpPort = await freePort()
  const wsPort = await freePort()
  const dataDir = join(dir, 'db')
  let text = readFileSync(join(repoRoot, '.sample.env'), 'utf8')
    .replace(/^APP_KEY\s*=.*$/m, `APP_KEY = '${randomBytes(32).toString('hex')}'`)
    .replace(/^API_KEY_PEPPER\s*=.*$/m, `API_KEY_PEPPER = '${randomBytes(32).toString('hex')}'`)
    .replace(/^FERNET_SALT\s*=.*$/m, `FERNET_SALT = '${randomBytes(16).toString('hex')}'`)
    .replace(/^FLASK_PORT\s*=.*$/m, `FLASK_PORT = '${httpPort}'`)
    .replace(/^WEBSOCKET_PORT\s*=.*$/m, `WEBSOCKET_PORT = '${wsPort}'`)
    .replace(/^WEBSOCKET_URL\s*=.*$/m, `WEBSOCKET_URL = 'ws://127.0.0.1:${wsPort}'`)
  text = edit(text)
  const envFile = join(dir, '.env')
  writeFileSync(envFile, text, { mode: 0o600 })
  const env: Record<string, string> = {
    OA_ENV_FILE: envFile,
    OA_DATA_DIR: dataDir,
    PATH: process.env['PATH'] ?? '',
  }
  return { dir, envFile, dataDir, httpPort, wsPort, env }
}

/** Collects what a command writes, for in-process `main()` calls. */
export function captureStream(): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString())
      cb()
    },
  })
  return { stream, text: () => chunks.join('') }
}

export interface OaProcess {
  readonly child: ChildProcess
  readonly output: () => string
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>
}

/** Runs `oa <args>` from sources in a child process (no build needed). */
export function spawnOa(args: readonly string[], env: Record<string, string>): OaProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=@oa/source', '--import', 'tsx', 'src/entry.ts', ...args],
    {
      cwd: serverDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const chunks: string[] = []
  child.stdout?.on('data', (d: Buffer) => chunks.push(d.toString()))
  child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>(
    (resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, atMs: performance.now() })),
  )
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { child, output: () => chunks.join(''), exited }
}

/** Polls `url` until it answers `status`, or fails after `timeoutMs`. */
export async function waitForStatus(
  url: string,
  status: number,
  timeoutMs: number,
): Promise<Response> {
  const deadline = performance.now() + timeoutMs
  let last = 'no answer'
  while (performance.now() < deadline) {
    try {
      const res = await fetch(url)
      if (res.status === status) return res
      last = `HTTP ${res.status}`
    } catch (error) {
      last = error instanceof Error ? error.message : String(error)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`)
}
