import { DEFAULT_REDIRECT_URL } from './constants.js'

// spec: platform.md §2.6, in the original's order, plus a scheme check the original skipped at
// startup (its credentials page already required http(s)).

export type RedirectUrlOutcome =
  | { readonly ok: true; readonly value: { readonly url: string; readonly broker: string } }
  | { readonly ok: false; readonly message: string; readonly fix: string }

const EXAMPLE = "REDIRECT_URL = 'http://127.0.0.1:5000/zerodha/callback'"

/**
 * Validates REDIRECT_URL on its own (steps 1, 2 and 4 of §2.6 plus the scheme); the broker-list
 * membership (step 5) needs VALID_BROKERS and is checked by the caller.
 */
export function parseRedirectUrl(url: string): RedirectUrlOutcome {
  if (url === DEFAULT_REDIRECT_URL) {
    return {
      ok: false,
      message: 'Default REDIRECT_URL detected: it still names <broker> instead of your broker',
      fix: `Put your broker's name in place of <broker>, e.g. ${EXAMPLE} (or /simulator/callback to try oa without a broker).`,
    }
  }
  if (url.includes('<broker>')) {
    return {
      ok: false,
      message: "Invalid REDIRECT_URL configuration detected: it contains '<broker>'",
      fix: `Replace <broker> with your broker's name, e.g. ${EXAMPLE}.`,
    }
  }
  if (!/^https?:\/\/[^/\s]+/i.test(url)) {
    return {
      ok: false,
      message: 'must be an http:// or https:// URL',
      fix: `Use this server's address followed by /<broker>/callback, e.g. ${EXAMPLE}.`,
    }
  }
  const m = /\/([^/]+)\/callback$/.exec(url)
  if (!m) {
    return {
      ok: false,
      message: "Invalid REDIRECT_URL format: the URL must end with '/broker_name/callback'",
      fix: `Example: ${EXAMPLE}.`,
    }
  }
  return { ok: true, value: { url, broker: (m[1] ?? '').toLowerCase() } }
}
