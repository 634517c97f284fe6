/**
 * GTT (good-till-triggered) orders (spec api.md §11.2). The simulator has no GTT API and the
 * sandbox engine has no GTT book, so every call answers the original's capability-gate message,
 * `GTT orders are not supported for broker '<broker>' yet` (with `mode: analyze` in analyzer
 * mode), after the original's semi-auto block of modify/cancel (403). The status is 400, not the
 * original's 501: here a 5xx means a bug of ours (monitors and the fuzz suite count them), and
 * clients only tell 200 from non-200 (api.md §1.4; W-6 maps broker refusals to 4xx too).
 */
import type { Caller } from '../api/endpoint.js'
import type { AccountMode } from './account-mode.js'

export interface GttReply {
  readonly status: 400 | 403
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
    status: 400,
    body: {
      status: 'error',
      message: `GTT orders are not supported for broker '${broker}' yet`,
      ...(analyze ? { mode: 'analyze' } : {}),
    },
  }
}
