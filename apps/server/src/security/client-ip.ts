import { isIP } from 'node:net'
import type { Context } from 'hono'
import { requestHeader } from '../http/request-header.js'

/** Options of the client-IP resolver (spec platform.md §7.5, W-7, W-9). */
export interface ClientIpOptions {
  /** TRUST_PROXY_HEADERS: honour `X-Forwarded-For` / `X-Real-IP` from trusted proxies */
  readonly trustProxyHeaders: boolean
  /**
   * Which peers count as our own proxies. Default: loopback and private ranges (a reverse proxy
   * on the same host or LAN), which is what a self-hosted install behind nginx/Caddy/Docker has.
   */
  readonly isTrustedProxy?: (ip: string) => boolean
}

/** What a request has to say about its peer, as `@hono/node-server` passes it in `c.env`. */
interface NodeEnv {
  readonly incoming?: { readonly socket?: { readonly remoteAddress?: string } }
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; lower-cases IPv6; strips a zone id. */
export function normalizeIp(ip: string): string {
  let v = ip.trim().toLowerCase()
  const zone = v.indexOf('%')
  if (zone >= 0) v = v.slice(0, zone)
  if (v.startsWith('::ffff:') && isIP(v.slice(7)) === 4) v = v.slice(7)
  return v
}

/** Loopback, RFC 1918, CGNAT, link-local, IPv6 ULA and link-local. */
export function isPrivateOrLoopback(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number)
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    )
  }
  if (isIP(ip) === 6) return ip === '::1' || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip)
  return false
}

/** Localhost is never banned (spec platform.md §7.6). */
export function isLocalhost(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === 'localhost' || ip.startsWith('127.')
}

/**
 * Resolves the client IP every security decision keys on (bans, rate limits, login audit).
 * Without proxy trust: the TCP peer. With it, and only when the peer itself is a trusted proxy:
 * the right-most `X-Forwarded-For` hop that is not a trusted proxy (W-9: the left-most hops are
 * whatever the client wrote), else `X-Real-IP`, else the peer. `CF-Connecting-IP` and
 * `True-Client-IP` are not honoured: they are only meaningful when the peer is Cloudflare,
 * which would need its published ranges configured (W-9).
 */
export function createClientIpResolver(options: ClientIpOptions): (c: Context) => string {
  const resolve = createAddressResolver(options)
  return (c) =>
    resolve((c.env as NodeEnv | undefined)?.incoming?.socket?.remoteAddress, (name) =>
      requestHeader(c, name),
    )
}

/**
 * The same resolution from a raw TCP peer address (undefined without a socket) and a header
 * reader: what the Node fast path uses on an `IncomingMessage`.
 */
export function createAddressResolver(
  options: ClientIpOptions,
): (peer: string | undefined, header: (name: string) => string | undefined) => string {
  const trusted = options.isTrustedProxy ?? isPrivateOrLoopback
  return (rawPeer, header) => {
    const peer = rawPeer ? normalizeIp(rawPeer) : 'unknown'
    if (!options.trustProxyHeaders || peer === 'unknown' || !trusted(peer)) return peer
    const forwarded = header('x-forwarded-for')
    if (forwarded) {
      const hops = forwarded
        .split(',')
        .map((h) => normalizeIp(h))
        .filter((h) => isIP(h) !== 0)
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i] as string
        if (!trusted(hop)) return hop
      }
      if (hops[0]) return hops[0]
    }
    const real = header('x-real-ip')
    if (real && isIP(normalizeIp(real)) !== 0) return normalizeIp(real)
    return peer
  }
}
