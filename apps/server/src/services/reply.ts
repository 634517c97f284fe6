/**
 * What a service answers: an HTTP status and the OpenAlgo JSON body. Services are shared by the
 * `/api/v1` handlers (API key) and the web app's session routes (cookie), so they take the caller
 * and typed input, never a request.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { BrokerLookup } from '../brokers/registry.js'
import { statusOf } from '../http/error-status.js'

export interface ServiceReply {
  readonly status: ContentfulStatusCode
  readonly body: Record<string, unknown>
}

/** Who a service acts for: the user and the broker their key or session resolved to. */
export interface ServiceCaller {
  readonly username: string
  readonly broker: string | null
  /** the request's latency trace: broker calls made for this caller add their time to it */
  readonly trace?: BrokerTiming | undefined
}

/** Where broker calls add up their time (the latency monitor's broker stage). */
export interface BrokerTiming {
  brokerMs: number
  brokerCalls: number
}

export function success(body: Record<string, unknown>): ServiceReply {
  return { status: 200, body: { status: 'success', ...body } }
}

export function failure(
  status: ContentfulStatusCode,
  message: string,
  extra: Record<string, unknown> = {},
): ServiceReply {
  return { status, body: { status: 'error', message, ...extra } }
}

/** A broker error (`@oa/broker-sdk` Result) as a reply, status from the one table. */
export function brokerFailure(error: {
  readonly code: string
  readonly message: string
}): ServiceReply {
  return failure(statusOf(error.code), error.message)
}

/** A failed broker lookup as a reply. */
export function lookupFailure(lookup: Extract<BrokerLookup, { ok: false }>): ServiceReply {
  return failure(statusOf(lookup.error), lookup.message)
}
