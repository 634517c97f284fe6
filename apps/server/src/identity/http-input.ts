import type { Context } from 'hono'

/** Reads a form or JSON body as flat string fields; anything unreadable is an empty object. */
export async function readFields(c: Context): Promise<Record<string, string>> {
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  const out: Record<string, string> = {}
  try {
    if (type.includes('application/json')) {
      const body: unknown = await c.req.json()
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
        for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
          if (typeof v === 'string') out[k] = v
          else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v)
        }
      }
    } else if (
      type.includes('application/x-www-form-urlencoded') ||
      type.includes('multipart/form-data')
    ) {
      const body = await c.req.parseBody()
      for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v
    }
  } catch {
    return {}
  }
  return out
}

/** An AJAX/SPA request that wants JSON back (spec platform.md §6.5's rule). */
export function wantsJson(c: Context): boolean {
  return (
    c.req.header('x-requested-with') === 'XMLHttpRequest' ||
    (c.req.header('accept') ?? '').startsWith('application/json') ||
    (c.req.header('content-type') ?? '').includes('application/json')
  )
}

/** The User-Agent, trimmed to the column's 500 chars. */
export function deviceInfo(c: Context): string {
  return (c.req.header('user-agent') ?? '').slice(0, 500)
}
