import type { Context, MiddlewareHandler } from 'hono'
import type { OaConfig } from '@oa/env-check'

type SecurityConfig = OaConfig['security']

/**
 * The CSP value from the configured directives (spec platform.md §7.3: directive order as
 * env-check emits it; `upgrade-insecure-requests` bare), or null when CSP is off.
 */
export function buildCsp(csp: SecurityConfig['csp']): string | null {
  if (!csp.enabled) return null
  const parts = csp.directives.map(([name, value]) => (value ? `${name} ${value}` : name))
  if (csp.upgradeInsecureRequests && !parts.some((p) => p.startsWith('upgrade-insecure-requests')))
    parts.push('upgrade-insecure-requests')
  return parts.join('; ')
}

/**
 * `X-Frame-Options` agreeing with CSP `frame-ancestors` (W-45: the original sent `DENY` next to
 * `frame-ancestors 'self'`): `'none'` → DENY, `'self'` → SAMEORIGIN, anything else (a list of
 * origins XFO cannot express) → no XFO, leaving `frame-ancestors` in charge. Without CSP the
 * default stays SAMEORIGIN, the same policy as the default `frame-ancestors 'self'`.
 */
export function frameOptionsFor(csp: SecurityConfig['csp']): string | null {
  const ancestors = csp.enabled
    ? csp.directives.find(([n]) => n === 'frame-ancestors')?.[1]
    : undefined
  if (ancestors === undefined) return 'SAMEORIGIN'
  const v = ancestors.trim()
  if (v === "'none'") return 'DENY'
  if (v === "'self'") return 'SAMEORIGIN'
  return null
}

/** What `@hono/node-server` hands the app in `c.env` (absent under `app.request`). */
interface NodeBindings {
  readonly outgoing?: { setHeader(name: string, value: string): unknown }
}

/**
 * The security headers of spec platform.md §7.3 as name/value pairs, CSP first (under its
 * report-only name when so configured): what {@link securityHeaders} sets, and what the Node
 * fast path (`http/listener.ts`) writes on the `/api/v1` answers it serves.
 */
export function securityHeaderList(
  security: SecurityConfig,
  isHttps: boolean,
): readonly (readonly [string, string])[] {
  const list: [string, string][] = []
  const csp = buildCsp(security.csp)
  if (csp)
    list.push([
      security.csp.reportOnly ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy',
      csp,
    ])
  const frame = frameOptionsFor(security.csp)
  if (frame) list.push(['X-Frame-Options', frame])
  list.push(['X-Content-Type-Options', 'nosniff'])
  // the legacy XSS auditor is gone from browsers and could be abused; "0" disables it (OWASP)
  list.push(['X-XSS-Protection', '0'])
  list.push(['Referrer-Policy', security.referrerPolicy])
  list.push(['Permissions-Policy', security.permissionsPolicy])
  if (isHttps) list.push(['Strict-Transport-Security', 'max-age=31536000'])
  return list
}

/**
 * Security headers on every response (spec platform.md §7.3): CSP (or its report-only twin),
 * X-Frame-Options consistent with `frame-ancestors`, nosniff, Referrer-Policy,
 * Permissions-Policy; HSTS when HOST_SERVER is https. A CSP a route set itself is kept.
 *
 * On Node they go on the `ServerResponse` before the route runs (`setHeader`, a plain object;
 * the route's own headers, a CSP included, are applied over them when the response is written).
 * Setting them on `c.res.headers` instead turns every response's plain header record into a
 * WHATWG `Headers` (undici validates each name and value) and makes `@hono/node-server` copy
 * it back out: 7% of a `/api/v1/ping` request's CPU. Elsewhere (`app.request`) they are set on
 * the response after the route.
 */
export function securityHeaders(security: SecurityConfig, isHttps: boolean): MiddlewareHandler {
  const all = securityHeaderList(security, isHttps)
  const csp = buildCsp(security.csp)
  const cspHeader = all[0]?.[0] ?? 'Content-Security-Policy'
  const fixed = csp ? all.slice(1) : all
  const apply = (c: Context): void => {
    const h = c.res.headers
    if (csp && !h.has('Content-Security-Policy') && !h.has('Content-Security-Policy-Report-Only'))
      h.set(cspHeader, csp)
    for (const [name, value] of fixed) h.set(name, value)
  }
  return async (c, next) => {
    const outgoing = (c.env as NodeBindings | undefined)?.outgoing
    if (outgoing === undefined) {
      await next()
      apply(c)
      return
    }
    for (const [name, value] of all) outgoing.setHeader(name, value)
    await next()
  }
}
