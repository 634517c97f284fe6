import { body, defineEndpoint, type EndpointDefinition } from '../endpoint.js'
import { apikeyField, int, str } from '../wire.js'
import type { MarketCalendar } from '../../services/market-calendar.js'
import { z } from 'zod'

/**
 * `POST /api/v1/market/holidays` and `POST /api/v1/market/timings` (spec api.md §11.7–11.8).
 * Unlike the original, the API key is verified (W-24): a bad key is 403.
 */
export function marketCalendarEndpoints(calendar: MarketCalendar): EndpointDefinition[] {
  const holidays = defineEndpoint({
    method: 'post',
    path: '/market/holidays',
    summary: 'Exchange holidays of a year',
    description:
      'Trading holidays, settlement holidays and special sessions (Muhurat) of `year` (default: the current IST year), with the exchanges each closes and the special windows (epoch ms) of those that stay open.',
    tags: ['market calendar'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({
      apikey: apikeyField(),
      year: int()
        .check(
          z.refine(
            (n: number) => n >= 2020 && n <= 2050,
            'Must be greater than or equal to 2020 and less than or equal to 2050.',
          ),
        )
        .optional(),
    }),
    handler: (input) => {
      const r = calendar.holidays(input.year)
      if (!r.ok) return { status: r.status, body: { status: 'error', message: r.message } }
      return {
        status: 200,
        body: {
          status: 'success',
          year: r.value.year,
          timezone: 'Asia/Kolkata',
          data: r.value.data,
        },
      }
    },
  })

  const timings = defineEndpoint({
    method: 'post',
    path: '/market/timings',
    summary: 'Exchange session timings of a day',
    description:
      'Each exchange trading on `date` (YYYY-MM-DD) with its session start and end as epoch milliseconds; an empty list on weekends (crypto excepted) and full holidays.',
    tags: ['market calendar'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({ apikey: apikeyField(), date: str() }),
    handler: (input) => {
      const r = calendar.timings(input.date)
      if (!r.ok) return { status: r.status, body: { status: 'error', message: r.message } }
      return { status: 200, body: { status: 'success', data: r.value } }
    },
  })
  return [holidays, timings]
}
