import { BROKER_API_KEY_PLACEHOLDER } from './constants.js'

// spec: platform.md §2.5. Three brokers have an enforced `:::` shape (identical at startup and in
// the original's credentials page); a few more get a non-empty, non-placeholder check here; the
// simulator needs no credentials at all.

interface SeparatorRule {
  readonly kind: 'separators'
  readonly label: string
  readonly separators: number
  readonly shape: string
  readonly example: string
  readonly secretHint: string
  readonly docs: string
}

interface OpaqueRule {
  readonly kind: 'opaque'
  readonly label: string
  /** what to put in BROKER_API_KEY, for the fix hint */
  readonly what: string
}

interface NoCredentialsRule {
  readonly kind: 'none'
}

type BrokerKeyRule = SeparatorRule | OpaqueRule | NoCredentialsRule

const RULES: Readonly<Record<string, BrokerKeyRule>> = {
  simulator: { kind: 'none' },
  fivepaisa: {
    kind: 'separators',
    label: '5paisa',
    separators: 2,
    shape: 'User_Key:::User_ID:::client_id',
    example: 'abc123xyz:::12345678:::5P12345678',
    secretHint: "BROKER_API_SECRET = 'your_encryption_key'",
    docs: 'https://docs.openalgo.in/connect-brokers/brokers/5paisa',
  },
  flattrade: {
    kind: 'separators',
    label: 'Flattrade',
    separators: 1,
    shape: 'client_id:::api_key',
    example: 'FT123456:::your_api_key_here',
    secretHint: "BROKER_API_SECRET = 'your_api_secret'",
    docs: 'https://docs.openalgo.in/connect-brokers/brokers/flattrade',
  },
  dhan: {
    kind: 'separators',
    label: 'Dhan',
    separators: 1,
    shape: 'client_id:::api_key',
    example: '1234567890:::your_dhan_apikey',
    secretHint: "BROKER_API_SECRET = 'your_dhan_apisecret'",
    docs: 'https://docs.openalgo.in/connect-brokers/brokers/dhan',
  },
  zerodha: {
    kind: 'opaque',
    label: 'Zerodha',
    what: 'the API key of your Kite Connect app (developers.kite.trade)',
  },
  angel: {
    kind: 'opaque',
    label: 'Angel One',
    what: 'the API key of your SmartAPI app (smartapi.angelbroking.com)',
  },
  upstox: {
    kind: 'opaque',
    label: 'Upstox',
    what: 'the API key of your Upstox developer app (account.upstox.com/developer/apps)',
  },
  fyers: {
    kind: 'opaque',
    label: 'Fyers',
    what: 'the App ID of your Fyers API app, e.g. XXXXXXXXXX-100 (myapi.fyers.in)',
  },
}

export interface BrokerKeyProblem {
  readonly message: string
  readonly fix: string
  /** a masked description of the value that still shows the separator count */
  readonly found: string
}

function countSeparators(value: string): number {
  return value.split(':::').length - 1
}

/** True when the broker can run without BROKER_API_KEY / BROKER_API_SECRET. */
export function brokerNeedsCredentials(broker: string): boolean {
  return RULES[broker]?.kind !== 'none'
}

/** Checks BROKER_API_KEY for the broker named in REDIRECT_URL; undefined when it is acceptable. */
export function checkBrokerApiKey(broker: string, apiKey: string): BrokerKeyProblem | undefined {
  const rule = RULES[broker]
  if (!rule || rule.kind === 'none') return undefined
  if (rule.kind === 'separators') {
    const n = countSeparators(apiKey)
    if (n === rule.separators) return undefined
    return {
      message: `Invalid ${rule.label} API key format detected! For ${rule.label} it must be '${rule.shape}' (${rule.separators} ':::' separator${rule.separators === 1 ? '' : 's'})`,
      fix: `Example: BROKER_API_KEY = '${rule.example}' with ${rule.secretHint}; see ${rule.docs}.`,
      found: `${apiKey === '' ? '(empty' : `(hidden, ${apiKey.length} chars`}, ${n} ':::' separator${n === 1 ? '' : 's'})`,
    }
  }
  if (apiKey.trim() === '' || apiKey === BROKER_API_KEY_PLACEHOLDER) {
    return {
      message: `${rule.label} is selected in REDIRECT_URL but BROKER_API_KEY is ${apiKey.trim() === '' ? 'empty' : 'still the sample placeholder'}`,
      fix: `Set BROKER_API_KEY to ${rule.what}, and BROKER_API_SECRET to that app's secret.`,
      found: apiKey === BROKER_API_KEY_PLACEHOLDER ? `'${BROKER_API_KEY_PLACEHOLDER}'` : '(empty)',
    }
  }
  return undefined
}
