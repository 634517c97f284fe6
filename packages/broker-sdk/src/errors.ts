import { defaultRedactor } from './redact.js'

/**
 * The closed set of broker failure codes (brokers.md §1.7, lower snake_case per STYLE.md §5).
 * `apps/server` maps them to HTTP statuses in its one table.
 */
export const BROKER_ERROR_CODES = [
  'auth_required',
  'auth_expired',
  'invalid_input',
  'symbol_not_found',
  'rate_limited',
  'rejected',
  'not_supported',
  'broker_down',
  'parse_error',
  'unknown',
] as const

/** One of {@link BROKER_ERROR_CODES}. */
export type BrokerErrorCode = (typeof BROKER_ERROR_CODES)[number]

// Retrying the same call later may succeed only for these; everything else needs a change first.
const RETRYABLE_BY_DEFAULT: ReadonlySet<BrokerErrorCode> = new Set(['rate_limited', 'broker_down'])

/** Options of {@link BrokerError}. */
export interface BrokerErrorOptions {
  /** The underlying failure; stored redacted (field names and JWT shapes) so it is safe to log. */
  cause?: unknown
  /** Overrides the code's default retryability (`rate_limited`, `broker_down` are retryable). */
  retryable?: boolean
  /** The broker's HTTP status, when the failure came from an HTTP answer. */
  httpStatus?: number
  /** The broker's own error code (`'AB1010'`, `-413`), as text. */
  brokerCode?: string
}

/**
 * The one error class of broker packages. `message` is written for the trader (what was wrong,
 * what would be right); `code` decides the HTTP status; `retryable` says whether the same call
 * may succeed later unchanged.
 */
export class BrokerError extends Error {
  override readonly name = 'BrokerError'
  /** Whether repeating the same call later may succeed. */
  readonly retryable: boolean
  /** The broker's HTTP status, when known. */
  readonly httpStatus: number | undefined
  /** The broker's own error code, when it sent one. */
  readonly brokerCode: string | undefined

  constructor(
    readonly code: BrokerErrorCode,
    message: string,
    options: BrokerErrorOptions = {},
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: defaultRedactor.value(options.cause) },
    )
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code)
    this.httpStatus = options.httpStatus
    this.brokerCode = options.brokerCode
  }

  /** A log- and JSON-friendly view without the stack or cause. */
  toJSON(): {
    code: BrokerErrorCode
    message: string
    retryable: boolean
    httpStatus?: number
    brokerCode?: string
  } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.httpStatus === undefined ? {} : { httpStatus: this.httpStatus }),
      ...(this.brokerCode === undefined ? {} : { brokerCode: this.brokerCode }),
    }
  }
}

/** True when `value` is a {@link BrokerError} (also across duplicated package copies). */
export function isBrokerError(value: unknown): value is BrokerError {
  return (
    value instanceof BrokerError ||
    (value instanceof Error &&
      value.name === 'BrokerError' &&
      (BROKER_ERROR_CODES as readonly string[]).includes((value as { code?: string }).code ?? ''))
  )
}
