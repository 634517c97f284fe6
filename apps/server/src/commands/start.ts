import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { mallocTrim, tuneMalloc } from '../heap.js'
import { startIdleGc, type IdleGc } from '../idle-gc.js'
import { openLogFile } from '../log-file.js'
import { createLogger } from '../logger.js'
import { repoRoot } from '../paths.js'
import { StartupError, round } from '../startup/phases.js'
import { startServer, type RunningServer } from '../startup/start-server.js'
import { configOrNull, println, type CommandIo } from './shared.js'

/**
 * `oa start`: env-check, databases, caches, master contract, HTTP server and ws-proxy. Resolves
 * with the exit code once the process has stopped: 0 after SIGINT/SIGTERM, 1 when startup fails
 * or a component fails for good.
 */
export async function startCommand(io: CommandIo): Promise<number> {
  // before the databases and the symbol load allocate (heap.ts)
  const malloc = tuneMalloc(io.env)
  const { config, durationMs } = configOrNull(io)
  if (!config) return 1
  let file: NodeJS.WritableStream | undefined
  if (config.logging.toFile) {
    try {
      file = await openLogFile({
        dir: config.logging.dir,
        retentionDays: config.logging.retentionDays,
      })
    } catch (error) {
      println(
        io.stderr,
        `oa: cannot write log files in ${config.logging.dir} (LOG_DIR): ${(error as Error).message}`,
      )
      return 1
    }
  }
  const logger = createLogger({
    level: config.logging.level,
    pretty: Boolean((io.stdout as NodeJS.WriteStream).isTTY),
    colors: config.logging.colors,
    ...(file ? { file } : {}),
  })
  logger.info({ phase: 'env-check', durationMs: round(durationMs) }, 'startup phase done')
  // null: no native addon here; a null setting: the environment had set it (docs/architecture.md)
  logger.debug({ malloc }, 'glibc allocator settings')

  let running: RunningServer | null = null
  let idleGc: IdleGc | null = null
  let exitCode = 0
  let resolveDone!: () => void
  const done = new Promise<void>((r) => (resolveDone = r))
  const shutdown = (reason: string, code: number): void => {
    exitCode = Math.max(exitCode, code)
    if (!running) return
    idleGc?.stop()
    void running.stop(reason).then(resolveDone)
  }
  // Repeated signals (a terminal's Ctrl-C reaches the whole process group; `timeout` and
  // supervisors forward theirs) are ignored: the shutdown already under way is bounded.
  let signalsSeen = 0
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalsSeen++ > 0) return
    shutdown(signal, 0)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  try {
    running = await startServer({
      config,
      logger,
      childEnv: io.env,
      // OA_WS_PROXY=off: the operator runs `oa-ws-proxy` on its own (docs/architecture.md)
      wsProxy: io.env['OA_WS_PROXY']?.trim().toLowerCase() !== 'off',
      webUiDir: join(repoRoot, 'frontend', 'dist'),
      startedAt: 0, // performance.now() counts from process start: report the true cold start
      onFatal: (reason) => {
        logger.error({ reason }, 'a component failed for good; stopping')
        shutdown(reason, 1)
      },
    })
  } catch (error) {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    if (error instanceof StartupError) {
      logger.error({ phase: error.phase, cause: describeCause(error.cause) }, error.message)
      println(io.stderr, `oa: startup failed in phase "${error.phase}": ${error.message}`)
      println(io.stderr, `oa: how to fix: ${error.fix}`)
    } else {
      logger.error({ err: error }, 'startup failed')
      println(
        io.stderr,
        `oa: startup failed: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    return 1
  }
  // an API burst's heap goes back to the OS once the server is quiet again (idle-gc.ts)
  idleGc = startIdleGc({
    onCollect: (c) =>
      logger.info(
        {
          durationMs: round(c.durationMs),
          heapBeforeMb: Math.round(c.heapBeforeBytes / 1048576),
          heapAfterMb: Math.round(c.heapAfterBytes / 1048576),
          // glibc's freed pages went back too (heap.ts); false where the addon is not built
          mallocTrim: mallocTrim() !== null,
          ...(c.retry ? { retry: true } : {}),
        },
        'idle garbage collection',
      ),
  })
  if (signalsSeen > 0) shutdown('signal during startup', 0)
  await done
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  logger.info({ exitCode, uptimeMs: round(performance.now()) }, 'exit')
  return exitCode
}

function describeCause(cause: unknown): string | undefined {
  return cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause)
}
