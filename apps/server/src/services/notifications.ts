/**
 * Telegram and WhatsApp notifications (spec api.md §11.9–11.10). oa runs offline and ships no
 * bot: neither a Telegram bot token nor a paired WhatsApp device can be configured, so every send
 * answers the original's "not ready" outcome, 409, with a message that says what is missing.
 */
import type { Caller } from '../api/endpoint.js'

export interface NotifyOutcome {
  readonly status: 200 | 400 | 409
  readonly body: Record<string, unknown>
}

export function sendTelegram(_caller: Caller, _input: Record<string, unknown>): NotifyOutcome {
  return {
    status: 409,
    body: {
      status: 'error',
      message:
        'Telegram bot is not configured on this server, so notifications cannot be sent. Configure and start the bot first.',
    },
  }
}

export function sendWhatsApp(_caller: Caller, _input: Record<string, unknown>): NotifyOutcome {
  return {
    status: 409,
    body: {
      status: 'error',
      message:
        'WhatsApp is not paired or not connected. Pair the device first from the /whatsapp page in OpenAlgo before sending.',
    },
  }
}
