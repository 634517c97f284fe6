import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'

/** Paths the single-page app never owns: they 404 in their own way instead of getting the shell. */
const NOT_SPA = /^\/(api|auth\/api|health)(\/|$)/

/**
 * Serves the built web app (`frontend/dist`) at `/`: hashed files under `/assets/` cached for a
 * year, everything else revalidated, and the SPA shell (`index.html`) for client-side routes.
 * When the app is not built, `/` says how to build it instead of a bare 404.
 */
export function webUiRoutes(distDir: string): Hono {
  const app = new Hono()
  const indexPath = join(distDir, 'index.html')
  if (!existsSync(indexPath)) {
    app.get('/', (c) =>
      c.text('The web app is not built. Run `pnpm build` (or `pnpm install`) and restart.', 503),
    )
    return app
  }
  const shell = readFileSync(indexPath, 'utf8')
  // Cache policy set on the way out (serveStatic builds its response before onFound runs).
  app.use('*', async (c, next) => {
    await next()
    if (c.res.status !== 200 || c.res.headers.has('Cache-Control')) return
    const immutable = c.req.path.startsWith('/assets/')
    c.res.headers.set(
      'Cache-Control',
      immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    )
  })
  app.use('*', serveStatic({ root: distDir }))
  app.get('*', (c, next) => {
    const path = c.req.path
    // a path with a file extension that was not found above is a real 404, not a route
    if (NOT_SPA.test(path) || /\.[a-z0-9]+$/i.test(path)) return next()
    return c.html(shell)
  })
  return app
}
