// Baseline for the startup benchmark: the least a Hono server on Node can do before answering.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.get('/health', (c) => c.json({ status: 'ok' }))
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.argv[2]) })
process.on('SIGTERM', () => process.exit(0))
