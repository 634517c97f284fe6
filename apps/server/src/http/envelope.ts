import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** OpenAlgo's error envelope: `{"status":"error","message":...}` plus optional extra fields. */
export function errorJson(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  return c.json({ status: 'error', message, ...extra }, status)
}
