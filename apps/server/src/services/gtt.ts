/**
 * GTT (good-till-triggered) orders (spec api.md §11.2). The simulator has no GTT API and the
 * sandbox engine has no GTT book, so every call answers the original's capability gate:
 * 501 `GTT orders are not supported for broker '<broker>' yet` (with `mode: analyze` in analyzer
 * mode), after the original's semi-auto block of modify/cancel (403).
 */
import type { Caller } from '../api/endpoint.js'
import type { AccountMode } from './account-mode.js'

export interface GttReply {
  readonly status: 403 | 501
  readonly body: Record<string, unknown>
}

export type GttAction = 'place' | 'modify' | 'cancel' | 'book'

const SEMI_AUTO: Partial<Record<GttAction, string>> = {
  modify: 'Modify GTT order is not allowed in Semi-Auto mode. Switch to Auto mode.',
  cancel: 'Cancel GTT order is not allowed in Semi-Auto mode. Switch to Auto mode.',
}

export function gttCall(mode: AccountMode, caller: Caller, action: GttAction): GttReply {
  const analyze = mode.isAnalyze()
  const blocked = SEMI_AUTO[action]
  if (!analyze && blocked && mode.isSemiAuto(caller.username))
    return { status: 403, body: { status: 'error', message: blocked } }
  const broker = analyze ? 'sandbox' : (caller.broker ?? 'unknown')
  return {
    status: 501,
    body: {
      status: 'error',
      message: `GTT orders are not supported for broker '${broker}' yet`,
      ...(analyze ? { mode: 'analyze' } : {}),
    },
  }
}
