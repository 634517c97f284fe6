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

/**
 * Security headers on every response (spec platform.md §7.3): CSP (or its report-only twin),
 * X-Frame-Options consistent with `frame-ancestors`, nosniff, Referrer-Policy,
 * Permissions-Policy; HSTS when HOST_SERVER is https. A CSP a route set itself is kept.
 */
export function securityHeaders(security: SecurityConfig, isHttps: boolean): MiddlewareHandler {
  const csp = buildCsp(security.csp)
  const cspHeader = security.csp.reportOnly
    ? 'Content-Security-Policy-Report-Only'
    : 'Content-Security-Policy'
  const frame = frameOptionsFor(security.csp)
  const apply = (c: Context): void => {
    const h = c.res.headers
    if (csp && !h.has('Content-Security-Policy') && !h.has('Content-Security-Policy-Report-Only'))
      h.set(cspHeader, csp)
    if (frame) h.set('X-Frame-Options', frame)
    h.set('X-Content-Type-Options', 'nosniff')
    // the legacy XSS auditor is gone from browsers and could be abused; "0" disables it (OWASP)
    h.set('X-XSS-Protection', '0')
    h.set('Referrer-Policy', security.referrerPolicy)
    h.set('Permissions-Policy', security.permissionsPolicy)
    if (isHttps) h.set('Strict-Transport-Security', 'max-age=31536000')
  }
  return async (c, next) => {
    await next()
    apply(c)
  }
}
