import type { SqliteDatabase } from '@oa/db'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import { isLocalhost } from './client-ip.js'

/** The abuse signals that can ban an IP (spec platform.md §7.6). */
export type AbuseKind = '404' | 'api_key' | 'login'

/** The ban settings of the single `settings` row (spec platform.md §7.6). */
export interface BanSettings {
  readonly autoBanEnabled: boolean
  readonly threshold404: number
  /** hours; 0 = permanent */
  readonly banDuration404Hours: number
  /** also the threshold for failed logins: both are credential guessing */
  readonly thresholdApi: number
  readonly banDurationApiHours: number
  readonly repeatOffenderLimit: number
}

export interface BanRequest {
  readonly reason: string
  /** hours of a temporary ban; 0 or `permanent` = permanent */
  readonly hours?: number
  readonly permanent?: boolean
  /** `manual`, `404_detector`, `api_key_detector`, `login_detector`, `cli` */
  readonly createdBy: string
}

export type BanOutcome =
  | {
      readonly ok: true
      readonly permanent: boolean
      readonly banCount: number
      readonly expiresAt: string | null
    }
  | { readonly ok: false; readonly reason: 'localhost' | 'invalid_ip' }

export interface RecordOutcome {
  /** hits of this kind from this IP in the last 24 h, this one included */
  readonly count: number
  readonly banned: boolean
}

/**
 * IP bans and the abuse trackers behind them, persisted in logs.db (spec platform.md §7.6).
 * Every abuse hit is an event row; the decision counts the events of the last 24 h on every hit
 * (W-30: a sliding window evaluated each time, one tracker row per IP). Localhost is never
 * banned. A ban of an IP that was banned before raises its count, and at the repeat-offender
 * limit the ban is permanent. The ban check is cached 60 s per IP; bans and unbans clear that
 * IP here and bump the `ban_epoch`, which other processes watch.
 */
export interface BanService {
  /** banned now? Cached 60 s (positive and negative); called early on every request */
  isBanned(ip: string): boolean
  ban(ip: string, request: BanRequest): BanOutcome
  /** lifts a ban; false when the IP was not banned */
  unban(ip: string): boolean
  /** counts one abuse hit and bans when the threshold is reached with auto-ban on */
  record(kind: AbuseKind, ip: string, detail?: string): RecordOutcome
  /** forgets cached verdicts (another process changed the bans) */
  clearCache(): void
  /** current bans, newest first */
  list(): readonly BanRow[]
}

export interface BanRow {
  readonly ip_address: string
  readonly ban_reason: string | null
  readonly ban_count: number
  readonly banned_at: string
  readonly expires_at: string | null
  readonly is_permanent: number
  readonly created_by: string
}

const DAY_MS = 86_400_000
const CACHE_MS = 60_000
const CACHE_MAX = 2048

export function createBanService(options: {
  readonly logs: SqliteDatabase
  readonly settings: () => BanSettings
  readonly clock: Clock
  readonly logger: Logger
  /** after a ban or unban: bump the cross-process ban epoch */
  readonly onChange?: () => void
}): BanService {
  const { logs, clock, logger } = options
  const iso = (ms: number): string => new Date(ms).toISOString()
  const q = {
    ban: logs.prepare('SELECT * FROM ip_bans WHERE ip_address = ?'),
    insertBan: logs.prepare(
      `INSERT INTO ip_bans (ip_address, ban_reason, ban_count, banned_at, expires_at, is_permanent, created_by)
       VALUES (?, ?, 1, ?, ?, ?, ?)`,
    ),
    updateBan: logs.prepare(
      `UPDATE ip_bans SET ban_reason = ?, ban_count = ?, banned_at = ?, expires_at = ?, is_permanent = ?, created_by = ?
       WHERE ip_address = ?`,
    ),
    deleteBan: logs.prepare('DELETE FROM ip_bans WHERE ip_address = ?'),
    list: logs.prepare('SELECT * FROM ip_bans ORDER BY banned_at DESC'),
    insertEvent: logs.prepare(
      'INSERT INTO abuse_events (ip_address, kind, at_ms) VALUES (?, ?, ?)',
    ),
    pruneEvents: logs.prepare(
      'DELETE FROM abuse_events WHERE ip_address = ? AND kind = ? AND at_ms <= ?',
    ),
    countEvents: logs.prepare(
      'SELECT COUNT(*) AS n, MIN(at_ms) AS first FROM abuse_events WHERE ip_address = ? AND kind = ?',
    ),
    clearEvents: logs.prepare('DELETE FROM abuse_events WHERE ip_address = ? AND kind = ?'),
    tracker404: logs.prepare('SELECT paths_attempted FROM error_404_tracker WHERE ip_address = ?'),
    upsert404: logs.prepare(
      `INSERT INTO error_404_tracker (ip_address, error_count, first_error_at, last_error_at, paths_attempted)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (ip_address) DO UPDATE SET error_count = excluded.error_count,
         first_error_at = excluded.first_error_at, last_error_at = excluded.last_error_at,
         paths_attempted = excluded.paths_attempted`,
    ),
    delete404: logs.prepare('DELETE FROM error_404_tracker WHERE ip_address = ?'),
    trackerKey: logs.prepare(
      'SELECT api_keys_tried FROM invalid_api_key_tracker WHERE ip_address = ?',
    ),
    upsertKey: logs.prepare(
      `INSERT INTO invalid_api_key_tracker (ip_address, attempt_count, first_attempt_at, last_attempt_at, api_keys_tried)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (ip_address) DO UPDATE SET attempt_count = excluded.attempt_count,
         first_attempt_at = excluded.first_attempt_at, last_attempt_at = excluded.last_attempt_at,
         api_keys_tried = excluded.api_keys_tried`,
    ),
    deleteKey: logs.prepare('DELETE FROM invalid_api_key_tracker WHERE ip_address = ?'),
  }
  const cache = new Map<string, { banned: boolean; until: number }>()
  const remember = (ip: string, banned: boolean, now: number): void => {
    if (cache.size >= CACHE_MAX) {
      const oldest = cache.keys().next()
      if (!oldest.done) cache.delete(oldest.value)
    }
    cache.set(ip, { banned, until: now + CACHE_MS })
  }

  const activeBan = (ip: string, now: number): BanRow | undefined => {
    const row = q.ban.get(ip) as BanRow | undefined
    if (!row) return undefined
    if (row.is_permanent || row.expires_at === null) return row
    // an expired temporary ban stays as history (its count makes repeat offenders permanent)
    return Date.parse(row.expires_at) > now ? row : undefined
  }

  const ban = (ip: string, request: BanRequest): BanOutcome => {
    if (ip === 'unknown' || ip === '') return { ok: false, reason: 'invalid_ip' }
    if (isLocalhost(ip)) return { ok: false, reason: 'localhost' }
    const now = clock.now()
    const { repeatOffenderLimit } = options.settings()
    const existing = q.ban.get(ip) as BanRow | undefined
    const count = existing ? existing.ban_count + 1 : 1
    const hours = request.hours ?? 0
    const permanent =
      request.permanent === true ||
      hours <= 0 ||
      (existing !== undefined && count >= repeatOffenderLimit)
    const expiresAt = permanent ? null : iso(now + hours * 3_600_000)
    if (existing)
      q.updateBan.run(
        request.reason,
        count,
        iso(now),
        expiresAt,
        permanent ? 1 : 0,
        request.createdBy,
        ip,
      )
    else
      q.insertBan.run(ip, request.reason, iso(now), expiresAt, permanent ? 1 : 0, request.createdBy)
    remember(ip, true, now)
    logger.warn(
      { ip, reason: request.reason, permanent, banCount: count, by: request.createdBy },
      'ip banned',
    )
    options.onChange?.()
    return { ok: true, permanent, banCount: count, expiresAt }
  }

  const updateLegacyTracker = (
    kind: AbuseKind,
    ip: string,
    count: number,
    firstMs: number,
    now: number,
    detail?: string,
  ): void => {
    if (kind === '404') {
      const prev = (q.tracker404.get(ip) as { paths_attempted: string | null } | undefined)
        ?.paths_attempted
      const paths = appendDistinct(prev, detail, 50)
      q.upsert404.run(ip, count, iso(firstMs), iso(now), paths)
    } else if (kind === 'api_key') {
      const prev = (q.trackerKey.get(ip) as { api_keys_tried: string | null } | undefined)
        ?.api_keys_tried
      const keys = appendDistinct(prev, detail, 20)
      q.upsertKey.run(ip, count, iso(firstMs), iso(now), keys)
    }
  }

  return {
    isBanned(ip) {
      const now = clock.now()
      const hit = cache.get(ip)
      if (hit && hit.until > now) return hit.banned
      const banned = activeBan(ip, now) !== undefined
      remember(ip, banned, now)
      return banned
    },
    ban,
    unban(ip) {
      const deleted = Number(q.deleteBan.run(ip).changes) > 0
      q.clearEvents.run(ip, '404')
      q.clearEvents.run(ip, 'api_key')
      q.clearEvents.run(ip, 'login')
      cache.delete(ip)
      if (deleted) {
        logger.info({ ip }, 'ip unbanned')
        options.onChange?.()
      }
      return deleted
    },
    record(kind, ip, detail) {
      const now = clock.now()
      const write = logs.transaction((): { n: number; first: number } => {
        q.insertEvent.run(ip, kind, now)
        q.pruneEvents.run(ip, kind, now - DAY_MS)
        const row = q.countEvents.get(ip, kind) as { n: number; first: number | null }
        return { n: row.n, first: row.first ?? now }
      })
      const { n, first } = write()
      updateLegacyTracker(kind, ip, n, first, now, detail)
      const s = options.settings()
      const threshold = kind === '404' ? s.threshold404 : s.thresholdApi
      if (!s.autoBanEnabled || n < threshold || isLocalhost(ip) || ip === 'unknown')
        return { count: n, banned: false }
      if (activeBan(ip, now)) return { count: n, banned: true }
      const hours = kind === '404' ? s.banDuration404Hours : s.banDurationApiHours
      const reason =
        kind === '404'
          ? `Exceeded 404 threshold: ${n} errors in 24 hours`
          : kind === 'api_key'
            ? `Exceeded invalid API key threshold: ${n} attempts in 24 hours`
            : `Exceeded failed login threshold: ${n} attempts in 24 hours`
      const createdBy =
        kind === '404' ? '404_detector' : kind === 'api_key' ? 'api_key_detector' : 'login_detector'
      const outcome = ban(ip, { reason, hours, createdBy })
      if (outcome.ok) {
        q.clearEvents.run(ip, kind)
        if (kind === '404') q.delete404.run(ip)
        if (kind === 'api_key') q.deleteKey.run(ip)
      }
      return { count: n, banned: outcome.ok }
    },
    clearCache: () => cache.clear(),
    list: () => q.list.all() as BanRow[],
  }
}

function appendDistinct(
  previous: string | null | undefined,
  value: string | undefined,
  max: number,
): string {
  let list: string[] = []
  try {
    const parsed: unknown = previous ? JSON.parse(previous) : []
    if (Array.isArray(parsed)) list = parsed.filter((v): v is string => typeof v === 'string')
  } catch {
    list = []
  }
  if (value !== undefined && !list.includes(value)) list.push(value.slice(0, 200))
  return JSON.stringify(list.slice(-max))
}

/** Reads the ban settings from the main database's single `settings` row. */
export function readBanSettings(main: SqliteDatabase): BanSettings {
  const row = main
    .prepare(
      `SELECT security_auto_ban_enabled, security_404_threshold, security_404_ban_duration,
              security_api_threshold, security_api_ban_duration, security_repeat_offender_limit
       FROM settings WHERE id = 1`,
    )
    .get() as Record<string, number> | undefined
  return {
    autoBanEnabled: Boolean(row?.['security_auto_ban_enabled'] ?? 0),
    threshold404: row?.['security_404_threshold'] ?? 100,
    banDuration404Hours: row?.['security_404_ban_duration'] ?? 0,
    thresholdApi: row?.['security_api_threshold'] ?? 100,
    banDurationApiHours: row?.['security_api_ban_duration'] ?? 0,
    repeatOffenderLimit: row?.['security_repeat_offender_limit'] ?? 2,
  }
}
