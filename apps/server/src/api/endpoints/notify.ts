import { z } from 'zod'
import { defineEndpoint, type EndpointDefinition } from '../endpoint.js'
import { fieldError, str } from '../wire.js'
import { sendTelegram, sendWhatsApp } from '../../services/notifications.js'

const MISSING_KEY = { status: 401 as const, message: 'Invalid or missing API key' }

/** A loose body: the key may also come as `X-API-KEY` or `?apikey=`; other fields are the service's. */
const notifyBody = (fields: z.ZodRawShape) =>
  z
    .object({ apikey: str().optional(), ...fields }, { error: fieldError('Invalid input type.') })
    .catchall(z.unknown())

/**
 * `POST /api/v1/telegram/notify` and `POST /api/v1/whatsapp/notify` (spec api.md §11.9–11.10):
 * 401 "Invalid or missing API key" without a valid key (body, `X-API-KEY` or `?apikey=`), then
 * 409 because no bot is configured on this server.
 */
export function notifyEndpoints(): EndpointDefinition[] {
  const telegram = defineEndpoint({
    method: 'post',
    path: '/telegram/notify',
    summary: 'Send a Telegram notification to a linked user',
    description:
      'Body `{apikey, username, message, priority?}`. This server has no Telegram bot configured, so a valid request answers 409.',
    tags: ['notifications'],
    rateLimit: 'notify',
    errorShape: 'object',
    auth: MISSING_KEY,
    input: notifyBody({
      username: z.unknown().optional(),
      message: z.unknown().optional(),
      priority: z.unknown().optional(),
    }),
    handler: (input, call) => sendTelegram(call.caller, input),
  })
  const whatsapp = defineEndpoint({
    method: 'post',
    path: '/whatsapp/notify',
    summary: 'Send a WhatsApp message',
    description:
      'Body `{apikey, self|username|phone|phones, message, image_path?, document_path?, caption?, filename?, wait_for_delivery?}`. No device is paired on this server, so a valid request answers 409.',
    tags: ['notifications'],
    rateLimit: 'notify',
    errorShape: 'object',
    auth: MISSING_KEY,
    input: notifyBody({ message: z.unknown().optional() }),
    handler: (input, call) => sendWhatsApp(call.caller, input),
  })
  return [telegram, whatsapp]
}
