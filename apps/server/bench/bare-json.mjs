// Baseline for the API benchmark: a bare Hono JSON route that reads a JSON body and answers JSON,
// on @hono/node-server, with nothing else (no rate limit, no auth, no logging).
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.post('/api/v1/ping', async (c) => {
  const body = await c.req.json()
  return c.json({
    status: 'success',
    data: { broker: 'simulator', message: 'pong', got: typeof body },
  })
})
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.argv[2]) })
process.on('SIGTERM', () => process.exit(0))
