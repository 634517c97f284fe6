import { z } from 'zod'
import { defineEndpoint, type EndpointDefinition } from '../endpoint.js'
import { apikeyField, fieldError } from '../wire.js'
import type { ChartPreferences } from '../../services/chart-preferences.js'

/**
 * `GET /api/v1/chart?apikey=` and `POST /api/v1/chart` (spec api.md §11.5): the caller's chart
 * preferences. POST keeps every key besides `apikey` (the original's `unknown = INCLUDE`).
 */
export function chartEndpoints(prefs: ChartPreferences): EndpointDefinition[] {
  const read = defineEndpoint({
    method: 'get',
    path: '/chart',
    summary: 'Read chart preferences',
    description: 'Every saved preference of the API key’s user, key → text value.',
    tags: ['chart'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: z.object({ apikey: apikeyField() }),
    handler: (_input, call) => ({
      status: 200,
      body: { status: 'success', data: prefs.read(call.caller) },
    }),
  })
  const write = defineEndpoint({
    method: 'post',
    path: '/chart',
    summary: 'Save chart preferences',
    description:
      'Upserts every key of the body besides `apikey` (at most 50 keys of up to 50 characters; values up to 1 MB, non-strings stored as JSON text).',
    tags: ['chart'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: z
      .object({ apikey: apikeyField() }, { error: fieldError('Invalid input type.') })
      .catchall(z.unknown()),
    handler: (input, call) => {
      const { apikey: _key, ...rest } = input
      const r = prefs.update(call.caller, rest)
      if (!r.ok) return { status: r.status, body: { status: 'error', message: r.message } }
      return {
        status: 200,
        body: { status: 'success', message: 'Preferences updated successfully' },
      }
    },
  })
  return [read, write]
}
