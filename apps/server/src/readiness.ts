/** What `/health` reports: `ready` answers 200, everything else 503. */
export type ReadinessState = 'starting' | 'ready' | 'degraded' | 'stopping'

export interface Readiness {
  readonly state: ReadinessState
  /** why the process is not ready, for operators (never secrets) */
  readonly reason: string | null
  set(state: ReadinessState, reason?: string | null): void
}

export function createReadiness(): Readiness {
  let state: ReadinessState = 'starting'
  let reason: string | null = 'starting up'
  return {
    get state() {
      return state
    },
    get reason() {
      return reason
    },
    set(next, why = null) {
      // once stopping, nothing brings the process back to ready
      if (state === 'stopping') return
      state = next
      reason = why
    },
  }
}
