import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatProblem, loadEnv } from '@oa/env-check'
import pino from 'pino'
import { startFeedServer } from './server.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * Entry point of the ws-proxy process: env-check, listen, report ready to the supervisor (IPC),
 * stop cleanly on SIGTERM/SIGINT. Resolves with the exit code.
 */
export async function main(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const result = loadEnv({
    rootDir: repoRoot,
    envFile: env['OA_ENV_FILE'] || join(repoRoot, '.env'),
    processEnv: env,
  })
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(`ws-proxy: ${formatProblem(p)}\n`)
    return 1
  }
  const { config } = result
  const logger = pino({
    level: config.logging.level,
    base: { pid: process.pid, component: 'ws-proxy' },
  })
  let server
  try {
    server = await startFeedServer({
      host: config.websocket.host,
      port: config.websocket.port,
      authGraceSeconds: config.websocket.authGraceSeconds,
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    logger.error(
      { code, port: config.websocket.port },
      code === 'EADDRINUSE'
        ? `port ${config.websocket.port} is already in use: free it or set WEBSOCKET_PORT`
        : 'could not listen',
    )
    return 1
  }
  logger.info(
    { url: `ws://${server.address.address}:${server.address.port}` },
    'ws-proxy listening',
  )
  process.send?.({ type: 'ready', port: server.address.port })

  const feed = server
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'ws-proxy stopping')
      void feed.close().then(resolve)
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
    // the supervisor died without signalling us: do not linger as an orphan
    process.once('disconnect', () => stop('supervisor gone'))
  })
  // the IPC channel to the supervisor would keep this process alive
  if (process.connected) process.disconnect()
  return 0
}
