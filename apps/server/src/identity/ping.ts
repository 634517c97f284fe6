import { body, defineEndpoint } from '../api/endpoint.js'
import { apikeyField } from '../api/wire.js'

/**
 * `POST /api/v1/ping` (spec api.md §11.4): checks connectivity and the API key.
 * 200 `{"status":"success","data":{"broker":"simulator","message":"pong"}}`; a wrong key 403
 * "Invalid openalgo apikey"; no key 400 `{"status":"error","message":{"apikey":[...]}}`.
 */
export const pingEndpoint = defineEndpoint({
  method: 'post',
  path: '/ping',
  summary: 'Check connectivity and the API key',
  tags: ['utilities'],
  rateLimit: 'api',
  errorShape: 'object',
  auth: 'apikey',
  input: body({ apikey: apikeyField() }),
  example: {
    request: { apikey: '<your_app_apikey>' },
    response: { status: 'success', data: { broker: 'simulator', message: 'pong' } },
  },
  handler: (_input, call) => ({
    status: 200,
    body: { status: 'success', data: { broker: call.caller.broker, message: 'pong' } },
  }),
})
