// A child process for the loopback benchmark: `oa start` composed in-process (no ws-proxy child)
// on a fresh temp data dir, the admin created, the simulator contract downloaded; prints
// `{"port":…,"apikey":…}` on one stdout line when ready, stops on SIGTERM.
// `bare` mode serves the baseline instead: a Hono route that parses the JSON body and answers a
// constant quote, the least an HTTP JSON endpoint on Node can do.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { loadConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { startServer } from '../src/startup/start-server.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const mode = process.argv[2] ?? 'oa'

if (mode === 'bare') {
  const app = new Hono()
  const quote = {
    open: 1374.65,
    high: 1390.1,
    low: 1373.65,
    ltp: 1389.9,
    ask: 1389.95,
    bid: 1389.9,
  }
  app.post('/api/v1/quotes', async (c) => {
    await c.req.json()
    return c.json({ status: 'success', data: { ...quote, prev_close: 1357.65, volume: 1, oi: 0 } })
  })
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
    process.stdout.write(`${JSON.stringify({ port: info.port, apikey: 'none' })}\n`)
  })
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
} else {
  const dir = mkdtempSync(join(tmpdir(), 'oa-bench-market-'))
  let text = readFileSync(join(repoRoot, '.sample.env'), 'utf8')
  for (const [name, bytes] of [
    ['APP_KEY', 32],
    ['API_KEY_PEPPER', 32],
    ['FERNET_SALT', 16],
  ] as const) {
    text = text.replace(
      new RegExp(`^${name}\\s*=.*$`, 'm'),
      `${name} = '${randomBytes(bytes).toString('hex')}'`,
    )
  }
  writeFileSync(join(dir, '.env'), text)
  const outcome = loadConfig({
    rootDir: repoRoot,
    envFile: join(dir, '.env'),
    processEnv: {
      OA_DATA_DIR: join(dir, 'db'),
      FLASK_PORT: '0',
      // the benchmark measures the endpoint, not the per-IP limiter
      API_RATE_LIMIT: '100000000 per second',
      LOG_LEVEL: 'ERROR',
    },
    createIfMissing: false,
  })
  if (!outcome.config) throw new Error(outcome.messages.map((m) => m.text).join('\n'))
  const logger = createLogger({ level: 'error', pretty: false })
  const running = await startServer({
    config: outcome.config,
    logger,
    childEnv: {},
    wsProxy: false,
  })
  const { identity, market } = running.context
  const setup = await identity.users.setup({
    username: 'admin',
    email: 'admin@example.com',
    password: 'Str0ng!Pass',
  })
  if (!setup.ok) throw new Error('setup failed')
  const apikey = await identity.auth.issueApiKey('admin')
  await market?.started
  process.stdout.write(`${JSON.stringify({ port: running.address.port, apikey })}\n`)
  process.on('SIGTERM', () => {
    void running.stop('SIGTERM').then(() => {
      rmSync(dir, { recursive: true, force: true })
      process.exit(0)
    })
  })
}
