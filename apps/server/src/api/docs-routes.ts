/**
 * `GET /api/openapi.json` (OpenAPI 3.1 of every mounted `/api/v1` endpoint, built from the same
 * zod schemas that validate requests) and `GET /api/docs`, an interactive page served entirely
 * from our own origin: Swagger UI's static build (`swagger-ui-dist`) read from node_modules, and
 * its start-up script as a file, so the default CSP (`script-src 'self'`) holds and the page
 * works offline. No CDN, no inline script.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Hono } from 'hono'
import { mountedEndpoints } from './endpoint.js'
import { buildOpenApiDocument, type OpenApiInfo } from './openapi.js'

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
}

const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: true,
    persistAuthorization: false,
    defaultModelsExpandDepth: 0,
  })
})
`

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>oa · OpenAlgo-compatible REST API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>
`

function swaggerDir(): string {
  const require = createRequire(import.meta.url)
  return dirname(require.resolve('swagger-ui-dist/package.json'))
}

/** The docs routes; `app` is the whole application, whose mounted endpoints the document lists. */
export function docsRoutes(app: Hono, info: OpenApiInfo): Hono {
  const routes = new Hono()
  let doc: string | null = null
  const assets = new Map<string, Buffer>()

  routes.get('/api/openapi.json', (c) => {
    // endpoints are all mounted before the first request; build once
    doc ??= JSON.stringify(buildOpenApiDocument(info, mountedEndpoints(app)))
    return c.body(doc, 200, { 'content-type': 'application/json; charset=utf-8' })
  })
  routes.get('/api/docs', (c) => c.html(PAGE))
  routes.get('/api/docs/', (c) => c.html(PAGE))
  routes.get('/api/docs/init.js', (c) =>
    c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  )
  routes.get('/api/docs/:file', (c) => {
    const file = c.req.param('file')
    const type = ASSETS[file]
    if (!type) return c.json({ status: 'error', message: 'Not found', path: c.req.path }, 404)
    let data = assets.get(file)
    if (!data) {
      data = readFileSync(join(swaggerDir(), file))
      assets.set(file, data)
    }
    return c.body(new Uint8Array(data), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
    })
  })
  return routes
}
