import { fork, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ServerToProxyMessage } from '@oa/db'
import { ALLOCATOR_ENV } from '../heap.js'
import type { Logger } from '../logger.js'

export interface WsProxyChildOptions {
  readonly logger: Logger
  readonly env: Readonly<Record<string, string | undefined>>
  /** called when the child is ready (true) or went away (false) */
  readonly onState: (up: boolean, reason: string) => void
  /** called when the child keeps crashing: the whole process must stop, never stay half-alive */
  readonly onGiveUp: (reason: string) => void
  /**
   * first start must report ready within this time, default 30 s: a cold start under a 1-CPU
   * container limit, or next to a busy neighbour, took over 10 s to load the proxy's modules
   */
  readonly readyTimeoutMs?: number
}

export interface WsProxyChild {
  /** resolves when the first start reported ready; rejects when it failed */
  readonly ready: Promise<void>
  /**
   * Sends a message over the IPC channel; false when no child is connected (it is restarting or
   * stopped: the proxy catches up from the database when it is back).
   */
  send(message: ServerToProxyMessage): boolean
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited */
  stop(graceMs: number): Promise<void>
}

/**
 * The young generation's cap for the child, MB per semi-space (V8's default grows to 16). The
 * symbol load grows the young generation to its 32 MB and it stays committed after the load (the
 * compacting collection does not shrink it): measured in two api-bench runs with 153k instruments,
 * the child's RSS after startup 156 MB by default, 135 MB with 4. An operator's own value wins.
 */
export const WS_PROXY_SEMI_SPACE_MB = 4

/** The child's Node flags: the parent's, plus the young-generation cap unless one is set already. */
export function wsProxyExecArgv(
  base: readonly string[],
  nodeOptions: string | undefined,
): string[] {
  const setByOperator = [...base, ...(nodeOptions ?? '').split(/\s+/)].some((flag) =>
    /^--max[-_]semi[-_]space[-_]size\b/.test(flag),
  )
  return setByOperator ? [...base] : [...base, `--max-semi-space-size=${WS_PROXY_SEMI_SPACE_MB}`]
}

const DEFAULT_READY_TIMEOUT_MS = 30_000
const MAX_CRASHES = 5
const CRASH_WINDOW_MS = 60_000

/**
 * Runs apps/ws-proxy as a supervised child process (spec platform.md §9.5): restarts it with
 * exponential back-off when it dies, and gives up (so the orchestrator restarts the whole
 * service) after five crashes within a minute.
 */
export function startWsProxyChild(options: WsProxyChildOptions): WsProxyChild {
  const require = createRequire(import.meta.url)
  const wsProxyDir = dirname(require.resolve('@oa/ws-proxy/package.json'))
  // Running from TypeScript sources (tests): fork the child's source entry under tsx, resolving
  // workspace packages to their sources as this process does.
  const fromSources = import.meta.url.endsWith('.ts')
  const entry = fromSources
    ? join(wsProxyDir, 'src', 'entry.ts')
    : join(wsProxyDir, 'bin', 'ws-proxy.js')
  const execArgv = wsProxyExecArgv(
    fromSources ? ['--conditions=@oa/source', '--import', 'tsx'] : process.execArgv,
    options.env['NODE_OPTIONS'],
  )
  const log = options.logger.child({ component: 'ws-proxy-supervisor' })
  let child: ChildProcess | null = null
  let stopping = false
  let crashes: number[] = []
  let restartTimer: NodeJS.Timeout | null = null
  let resolveReady!: () => void
  let rejectReady!: (e: Error) => void
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res
    rejectReady = rej
  })
  let firstStart = true

  const launch = (): void => {
    const proc = fork(entry, [], {
      // glibc's allocator keeps the freed memory of a start-up burst in per-thread arenas and
      // large freed blocks in its heap: measured on the simulator's 120k-instrument contract
      // (when the proxy still loaded it), the child settled at ~180 MB RSS with glibc's defaults
      // and ~120 MB with these. An operator's own values win.
      env: { ...ALLOCATOR_ENV, ...options.env, OA_SUPERVISED: '1' },
      execArgv,
      stdio: 'inherit',
    })
    child = proc
    const timer = firstStart
      ? setTimeout(() => {
          rejectReady(
            new Error(
              `ws-proxy did not report ready within ${options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS} ms`,
            ),
          )
        }, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS)
      : null
    proc.on('message', (msg: unknown) => {
      if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'ready') {
        if (timer) clearTimeout(timer)
        if (firstStart) resolveReady()
        firstStart = false
        options.onState(true, 'ws-proxy ready')
      }
    })
    proc.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer)
      child = null
      if (stopping) return
      const reason = `ws-proxy exited (code ${code ?? 'none'}, signal ${signal ?? 'none'})`
      if (firstStart) {
        rejectReady(new Error(reason))
        return
      }
      options.onState(false, reason)
      const now = Date.now()
      crashes = [...crashes.filter((t) => now - t < CRASH_WINDOW_MS), now]
      if (crashes.length >= MAX_CRASHES) {
        log.error({ crashes: crashes.length }, 'ws-proxy keeps crashing; giving up')
        options.onGiveUp(`${reason}; ${crashes.length} crashes within a minute`)
        return
      }
      const delayMs = Math.min(30_000, 500 * 2 ** (crashes.length - 1))
      log.warn({ code, signal, delayMs }, 'ws-proxy exited; restarting')
      restartTimer = setTimeout(launch, delayMs)
    })
  }
  launch()

  return {
    ready,
    send(message) {
      const proc = child
      if (!proc?.connected) return false
      proc.send(message, (error: Error | null) => {
        if (error) log.debug({ err: error.message, type: message.type }, 'ws-proxy IPC send failed')
      })
      return true
    },
    stop(graceMs) {
      stopping = true
      if (restartTimer) clearTimeout(restartTimer)
      const proc = child
      if (!proc || proc.exitCode !== null) return Promise.resolve()
      return new Promise((resolve) => {
        const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs)
        proc.once('exit', () => {
          clearTimeout(kill)
          resolve()
        })
        proc.kill('SIGTERM')
      })
    },
  }
}
