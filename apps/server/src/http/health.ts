import { Hono, type Context } from 'hono'
import type { Readiness } from '../readiness.js'

/**
 * `/health` (operator.md): 200 `{"status":"ok"}` when ready, 503 while starting, degraded or
 * stopping. `/health/live` answers 200 whenever the process can answer at all (liveness);
 * `/health/ready` is the same rule as `/health` (spec platform.md §9.5).
 */
export function healthRoutes(readiness: Readiness): Hono {
  const app = new Hono()
  const ready = (c: Context) =>
    readiness.state === 'ready'
      ? c.json({ status: 'ok' }, 200)
      : c.json({ status: readiness.state, reason: readiness.reason }, 503)
  app.get('/health', ready)
  app.get('/health/ready', ready)
  app.get('/health/live', (c) => c.json({ status: 'ok' }, 200))
  return app
}
