import type { MiddlewareHandler } from 'hono'
import type { OaConfig } from '@oa/env-check'
import { requestHeader } from '../http/request-header.js'

/**
 * CORS for `/api/*` only, from env (spec platform.md §7.4). Disabled means no CORS headers at
 * all (W-10: the original fell back to "any origin"). Enabled: only listed origins get
 * `Access-Control-Allow-Origin` (echoed, with `Vary: Origin`); `*` in the list allows any origin
 * but never together with credentials.
 */
export function apiCors(cors: OaConfig['security']['cors']): MiddlewareHandler {
  const origins = new Set(cors.allowedOrigins)
  const anyOrigin = origins.has('*') && !cors.allowCredentials
  return async (c, next) => {
    if (!cors.enabled) return next()
    const origin = requestHeader(c, 'origin')
    const allowed = origin !== undefined && (anyOrigin || origins.has(origin))
    const setCommon = (h: Headers): void => {
      if (!allowed) return
      h.set('Access-Control-Allow-Origin', anyOrigin ? '*' : origin)
      if (!anyOrigin) h.append('Vary', 'Origin')
      if (cors.allowCredentials) h.set('Access-Control-Allow-Credentials', 'true')
      if (cors.exposedHeaders.length > 0)
        h.set('Access-Control-Expose-Headers', cors.exposedHeaders.join(', '))
    }
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      const res = new Response(null, { status: 204 })
      setCommon(res.headers)
      if (allowed) {
        if (cors.allowedMethods.length > 0)
          res.headers.set('Access-Control-Allow-Methods', cors.allowedMethods.join(', '))
        if (cors.allowedHeaders.length > 0)
          res.headers.set('Access-Control-Allow-Headers', cors.allowedHeaders.join(', '))
        if (cors.maxAgeSeconds !== null)
          res.headers.set('Access-Control-Max-Age', String(cors.maxAgeSeconds))
      }
      return res
    }
    await next()
    // only when there is something to set: reading `c.res.headers` turns the response's plain
    // header record into a WHATWG Headers, which costs every request
    if (allowed) setCommon(c.res.headers)
  }
}
