import type { BrokerError } from './errors.js'

/**
 * The outcome of an expected-to-fail broker call (STYLE.md §5): brokers never throw across the
 * package boundary for business or transport failures.
 */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BrokerError }

/** Wraps a value as a successful {@link Result}. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

/** Wraps a {@link BrokerError} as a failed {@link Result}. */
export function err<T = never>(error: BrokerError): Result<T> {
  return { ok: false, error }
}
