/**
 * Analyzer services (api.md §11.3, frontend-and-features.md §3.10): the mode and its switch, and
 * the request log the web app's `/analyzer` page shows.
 */
import type { AnalyzerMode } from '../settings/analyzer-mode.js'
import type { AnalyzerLog, AnalyzerRequestRow, AnalyzerStats } from '../trading/analyzer-log.js'
import { failure, success, type ServiceCaller, type ServiceReply } from './reply.js'

export interface AnalyzerServices {
  /** `POST /analyzer`: `{analyze_mode, mode, total_logs}` */
  status(caller: ServiceCaller): ServiceReply
  /** `POST /analyzer/toggle`: switches the installation-wide mode (W-28), refused to semi-auto users */
  toggle(caller: ServiceCaller, input: { mode: boolean }): ServiceReply
  /** the `/analyzer` page's data: statistics of the last 24 hours and the requests of a date range */
  requests(
    caller: ServiceCaller,
    range: { start?: string; end?: string },
  ): { stats: AnalyzerStats; requests: AnalyzerRequestRow[] }
}

const SEMI_AUTO =
  'Operation analyzer/toggle is not allowed in Semi-Auto mode. This operation can only be performed by the client via the UI. This restriction ensures SEBI Research Analyst compliance where mode switching is a client-only decision.'

export function createAnalyzerServices(deps: {
  readonly mode: AnalyzerMode
  readonly log: AnalyzerLog
  /** the caller's order mode is semi-auto (api.md §5) */
  readonly isSemiAuto?: (username: string) => boolean
}): AnalyzerServices {
  const { mode, log } = deps
  const view = (on: boolean) => ({
    analyze_mode: on,
    mode: on ? 'analyze' : 'live',
    total_logs: log.count(),
  })
  return {
    status: () => success({ data: view(mode.isOn()) }),
    toggle(caller, input) {
      if (deps.isSemiAuto?.(caller.username)) return failure(403, SEMI_AUTO)
      mode.set(input.mode, caller.username)
      const on = mode.isOn()
      return success({
        data: { ...view(on), message: `Analyzer mode switched to ${on ? 'analyze' : 'live'}` },
      })
    },
    requests: (caller, range) => ({
      stats: log.stats(caller.username),
      requests: log.list({ ...range, username: caller.username }),
    }),
  }
}
