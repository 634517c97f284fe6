// Booleans with per-variable parity (spec: platform.md §2.4). Each variable accepts the spellings
// the original reads the same way, and nothing else: a spelling the original would silently read
// the *opposite* way from what it says (NGROK_ALLOW=yes is false there, ORDER_UPDATES_ENABLED=no
// is true there), or that means nothing, is a problem instead of a silent surprise.

/** How the original turns a variable's text into true/false. */
export type BooleanStyle =
  /** `.upper() == 'TRUE'`: NGROK_ALLOW, CSRF_ENABLED, CORS_*, CSP_* switches */
  | 'upper_true'
  /** `.upper() != 'FALSE'`: ORDER_UPDATES_ENABLED (anything but FALSE is on) */
  | 'upper_not_false'
  /** `.lower() == 'true'`: DISABLE_SESSION_EXPIRY, LOG_COLORS, HEALTH_MONITOR_ENABLED, ... */
  | 'lower_true'
  /** env-check's LOG_TO_FILE rule: `true` or `false`, nothing else */
  | 'true_false_only'
  /** FLASK_DEBUG: env-check allows true/false/1/0/t/f; truthy = true/1/t */
  | 'flask_debug'
  /** `.lower() in ('true','1','t')`: FLASK_DEBUG_ALLOW_EXTERNAL */
  | 'lower_true_1_t'
  /** `.lower() in ('true','1','yes','t')`: TRUST_PROXY_HEADERS */
  | 'lower_true_1_yes_t'
  /** `.strip().upper() in ('TRUE','1','YES')`: BROKER_CONNECTION_KEEPALIVE */
  | 'keepalive'

interface Spellings {
  /** lower-cased spellings read as true */
  readonly truthy: readonly string[]
  /** lower-cased spellings read as false */
  readonly falsy: readonly string[]
  /** how to write the value in a fix hint */
  readonly canonical: readonly [string, string]
  readonly trim: boolean
  /** what the original does with any other text: read it as false/true, or refuse to start */
  readonly otherwise: 'false' | 'true' | 'rejected'
}

// Spellings someone writes when they mean on / off. Used to tell "clearly meant true" from junk in
// messages; what is accepted is the per-style table below.
const MEANS_TRUE = ['true', '1', 't', 'yes', 'y', 'on', 'enable', 'enabled']
const MEANS_FALSE = ['false', '0', 'f', 'no', 'n', 'off', 'disable', 'disabled']

const STYLES: Readonly<Record<BooleanStyle, Spellings>> = {
  upper_true: {
    truthy: ['true'],
    falsy: ['false', '0', 'f', 'no', 'n', 'off'],
    canonical: ['TRUE', 'FALSE'],
    trim: false,
    otherwise: 'false',
  },
  upper_not_false: {
    truthy: ['true', '1', 't', 'yes', 'y', 'on'],
    falsy: ['false'],
    canonical: ['TRUE', 'FALSE'],
    trim: false,
    otherwise: 'true',
  },
  lower_true: {
    truthy: ['true'],
    falsy: ['false', '0', 'f', 'no', 'n', 'off'],
    canonical: ['true', 'false'],
    trim: false,
    otherwise: 'false',
  },
  true_false_only: {
    truthy: ['true'],
    falsy: ['false'],
    canonical: ['True', 'False'],
    trim: false,
    otherwise: 'rejected',
  },
  flask_debug: {
    truthy: ['true', '1', 't'],
    falsy: ['false', '0', 'f'],
    canonical: ['True', 'False'],
    trim: false,
    otherwise: 'rejected',
  },
  lower_true_1_t: {
    truthy: ['true', '1', 't'],
    falsy: ['false', '0', 'f', 'no', 'n', 'off'],
    canonical: ['true', 'false'],
    trim: false,
    otherwise: 'false',
  },
  lower_true_1_yes_t: {
    truthy: ['true', '1', 'yes', 't'],
    falsy: ['false', '0', 'f', 'no', 'n', 'off'],
    canonical: ['TRUE', 'FALSE'],
    trim: false,
    otherwise: 'false',
  },
  keepalive: {
    truthy: ['true', '1', 'yes'],
    falsy: ['false', '0', 'f', 'no', 'n', 'off'],
    canonical: ['TRUE', 'FALSE'],
    trim: true,
    otherwise: 'false',
  },
}

export type BooleanOutcome =
  | { readonly ok: true; readonly value: boolean }
  | { readonly ok: false; readonly message: string; readonly fix: string }

/** The spellings a style accepts, for docs: `TRUE/FALSE (also: 0, no, off)`. */
export function describeBooleanStyle(style: BooleanStyle): string {
  const s = STYLES[style]
  const others = [...s.truthy, ...s.falsy].filter(
    (x) => x !== s.canonical[0].toLowerCase() && x !== s.canonical[1].toLowerCase(),
  )
  const base = `${s.canonical[0]} or ${s.canonical[1]} (any case)`
  return others.length > 0 ? `${base}; also accepted: ${others.join(', ')}` : base
}

/** Reads one boolean variable the way the original does, refusing spellings it would misread. */
export function parseBoolean(variable: string, raw: string, style: BooleanStyle): BooleanOutcome {
  const s = STYLES[style]
  const text = (s.trim ? raw.trim() : raw).toLowerCase()
  if (s.truthy.includes(text)) return { ok: true, value: true }
  if (s.falsy.includes(text)) return { ok: true, value: false }
  const [on, off] = s.canonical
  const fix = `Set ${variable} = '${on}' or '${off}'.`
  const accepted = `accepted: ${describeBooleanStyle(style)}`
  if (s.otherwise === 'rejected')
    return { ok: false, message: `must be true or false; ${accepted}`, fix }
  const word = text.trim()
  const readAs = s.otherwise === 'false' ? 'off' : 'on'
  const meant = MEANS_TRUE.includes(word) ? 'on' : MEANS_FALSE.includes(word) ? 'off' : null
  const what =
    word === '' ? 'is empty' : meant ? `looks like "${meant}"` : 'is not a true/false value'
  return {
    ok: false,
    message: `${what}, but OpenAlgo would silently read it as ${readAs}; ${accepted}`,
    fix,
  }
}
