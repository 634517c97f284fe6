// The master-contract status rows (spec platform.md §8.4), one per broker, in the original's wire
// shape: `total_symbols` a string, `exchange_stats` parsed JSON, times UTC ISO (W-21).
import type { SqliteDatabase } from '@oa/db'
import type { Clock } from '../clock.js'
import { istDate, parseStoredTime } from './ist.js'

export type MasterContractState = 'pending' | 'downloading' | 'success' | 'error'

/** `GET /api/master-contract/status`, field for field. */
export interface MasterContractStatusPayload {
  readonly broker: string
  readonly status: MasterContractState | 'unknown'
  readonly message: string | null
  readonly last_updated: string | null
  readonly total_symbols: string
  readonly is_ready: boolean
  readonly last_download_time: string | null
  readonly download_date: string | null
  readonly exchange_stats: Record<string, number> | null
  readonly download_duration_seconds: number | null
}

/** A download stuck this long in `downloading` is reported as failed (the original's 5 minutes). */
export const STUCK_AFTER_MS = 5 * 60_000
export const STUCK_MESSAGE =
  'Download timed out (stuck for >5 minutes). Click Force Download to retry.'

interface Row {
  broker: string
  status: string | null
  message: string | null
  last_updated: string | null
  total_symbols: string | number | null
  is_ready: number | null
  last_download_time: string | null
  download_date: string | null
  exchange_stats: string | null
  download_duration_seconds: number | null
}

export interface MasterContractStatusStore {
  /** the payload, rewriting a stuck `downloading` row to `error` first; `unknown` when no row */
  get(broker: string): MasterContractStatusPayload
  /** the original's `update_status`: state, message, readiness, optionally the symbol count */
  set(broker: string, status: MasterContractState, message: string, totalSymbols?: number): void
  /** a successful download: status, counts and the smart-download columns, in one statement */
  recordSuccess(
    broker: string,
    download: {
      readonly totalSymbols: number
      readonly durationSeconds: number
      readonly exchangeStats: Readonly<Record<string, number>>
    },
  ): void
  /** reuse of the stored contract (smart skip): needs a past download; false when there is none */
  markReadyWithoutDownload(broker: string): boolean
  isReady(broker: string): boolean
  /** this broker's last successful download, epoch ms */
  lastDownloadMs(broker: string): number | undefined
  /** the broker with the most recent successful download */
  lastDownloadedBroker(): string | undefined
  /** the stored symbol count of the last download, for progress estimates */
  lastTotal(broker: string): number | undefined
}

export function createMasterContractStatusStore(
  sqlite: SqliteDatabase,
  clock: Clock,
): MasterContractStatusStore {
  const nowIso = (): string => new Date(clock.now()).toISOString()
  const select = sqlite.prepare('SELECT * FROM master_contract_status WHERE broker = ?')
  const upsert = sqlite.prepare(
    `INSERT INTO master_contract_status (broker, status, message, last_updated, total_symbols, is_ready)
     VALUES (@broker, @status, @message, @at, COALESCE(@total, '0'), @ready)
     ON CONFLICT(broker) DO UPDATE SET status = excluded.status, message = excluded.message,
       last_updated = excluded.last_updated, is_ready = excluded.is_ready,
       total_symbols = COALESCE(@total, master_contract_status.total_symbols)`,
  )
  const success = sqlite.prepare(
    `INSERT INTO master_contract_status (broker, status, message, last_updated, total_symbols, is_ready,
       last_download_time, download_date, exchange_stats, download_duration_seconds)
     VALUES (@broker, 'success', 'Master contract download completed successfully', @at, @total, 1,
       @at, @date, @stats, @duration)
     ON CONFLICT(broker) DO UPDATE SET status = excluded.status, message = excluded.message,
       last_updated = excluded.last_updated, total_symbols = excluded.total_symbols, is_ready = 1,
       last_download_time = excluded.last_download_time, download_date = excluded.download_date,
       exchange_stats = excluded.exchange_stats,
       download_duration_seconds = excluded.download_duration_seconds`,
  )
  const latest = sqlite.prepare(
    'SELECT broker, last_download_time FROM master_contract_status WHERE last_download_time IS NOT NULL',
  )

  const set: MasterContractStatusStore['set'] = (broker, status, message, totalSymbols) => {
    upsert.run({
      broker,
      status,
      message,
      at: nowIso(),
      total: totalSymbols === undefined ? null : String(totalSymbols),
      ready: status === 'success' ? 1 : 0,
    })
  }

  const row = (broker: string): Row | undefined => select.get(broker) as Row | undefined

  return {
    get(broker) {
      let r = row(broker)
      if (r === undefined) {
        return {
          broker,
          status: 'unknown',
          message: 'No status available',
          last_updated: null,
          total_symbols: '0',
          is_ready: false,
          last_download_time: null,
          download_date: null,
          exchange_stats: null,
          download_duration_seconds: null,
        }
      }
      const updated = parseStoredTime(r.last_updated)
      if (
        r.status === 'downloading' &&
        updated !== undefined &&
        clock.now() - updated > STUCK_AFTER_MS
      ) {
        set(broker, 'error', STUCK_MESSAGE)
        r = row(broker) ?? r
      }
      return {
        broker: r.broker,
        status: asState(r.status),
        message: r.message,
        last_updated: r.last_updated,
        total_symbols: r.total_symbols === null ? '0' : String(r.total_symbols),
        is_ready: r.is_ready === 1,
        last_download_time: r.last_download_time,
        download_date: r.download_date,
        exchange_stats: parseStats(r.exchange_stats),
        download_duration_seconds: r.download_duration_seconds,
      }
    },
    set,
    recordSuccess(broker, d) {
      const at = clock.now()
      success.run({
        broker,
        at: new Date(at).toISOString(),
        total: String(d.totalSymbols),
        date: istDate(at),
        stats: JSON.stringify(d.exchangeStats),
        duration: d.durationSeconds,
      })
    },
    markReadyWithoutDownload(broker) {
      const r = row(broker)
      if (r === undefined || r.last_download_time === null) return false
      set(broker, 'success', 'Using cached master contract')
      return true
    },
    isReady: (broker) => row(broker)?.is_ready === 1,
    lastDownloadMs: (broker) => parseStoredTime(row(broker)?.last_download_time),
    lastDownloadedBroker() {
      let best: { broker: string; at: number } | undefined
      for (const r of latest.all() as { broker: string; last_download_time: string }[]) {
        const at = parseStoredTime(r.last_download_time)
        if (at !== undefined && (best === undefined || at > best.at))
          best = { broker: r.broker, at }
      }
      return best?.broker
    },
    lastTotal(broker) {
      const total = Number(row(broker)?.total_symbols ?? Number.NaN)
      return Number.isFinite(total) && total > 0 ? total : undefined
    },
  }
}

function asState(status: string | null): MasterContractState {
  return status === 'downloading' || status === 'success' || status === 'error' ? status : 'pending'
}

function parseStats(text: string | null): Record<string, number> | null {
  if (text === null || text === '') return null
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, number>)
      : null
  } catch {
    return null
  }
}
