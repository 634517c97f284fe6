import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'

/** What `@hono/node-server` hands the app in `c.env` (absent under `app.request`). */
interface NodeBindings {
  readonly incoming?: Partial<Pick<IncomingMessage, 'headers'>>
}

/**
 * A request header by lower-case name, read from Node's parsed header object when the request
 * came through `@hono/node-server`: `c.req.header()` first builds a WHATWG `Headers` of every
 * header the request has (undici validates each one), about 2% of a request's CPU on the API
 * benchmark for one lookup. Elsewhere (tests' `app.request`, which may pass a bare peer address) it is `c.req.header()`.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const headers = (c.env as NodeBindings | undefined)?.incoming?.headers
  if (headers === undefined) return c.req.header(name)
  const value = headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}
