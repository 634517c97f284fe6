// What the server benchmarks share: free loopback ports, waiting for a server to come up, and
// wrk (Debian package `wrk`, C, event-driven) as the load generator: one thread, 16 connections,
// POSTing one JSON body, parsed into requests/s, p99 and errors.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const CONNECTIONS = 16

/** A free TCP port on loopback (closed again before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls `check` every 100 ms until it answers true (a throw counts as "not yet"). */
export async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if (await check()) return
    } catch {
      // not up yet
    }
    await sleep(100)
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms`)
}

export interface WrkResult {
  rps: number
  p99Ms: number
  /** non-2xx answers plus socket errors */
  errors: number
}

/** Runs wrk against `url` for `seconds`, POSTing `body` as JSON. */
export function wrk(url: string, body: string, seconds: number): WrkResult {
  const dir = mkdtempSync(join(tmpdir(), 'oa-wrk-'))
  const script = join(dir, 'post.lua')
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`,
  )
  try {
    const out = execFileSync(
      'wrk',
      ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', script, url],
      { encoding: 'utf8' },
    )
    const rps = Number(/Requests\/sec:\s+([0-9.]+)/.exec(out)?.[1])
    const p99 = /\s99%\s+([0-9.]+)(us|ms|s)/.exec(out)
    const unit = p99?.[2] === 'us' ? 0.001 : p99?.[2] === 's' ? 1000 : 1
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0)
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
    const errors = non2xx + (socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0)
    return { rps, p99Ms: Number(p99?.[1]) * unit, errors }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
