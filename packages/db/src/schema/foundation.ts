import type { Generated } from 'kysely'

/**
 * Small key/value table for installation-wide facts: `setup_done`, change epochs
 * (`auth_epoch`, `symbols_epoch`, `settings_epoch`) that other processes poll cheaply.
 */
export interface AppMetaTable {
  key: string
  value: string
  /** UTC ISO-8601 */
  updated_at: string
}

/** The single settings row (id = 1), spec platform.md §3.3 `settings`. Booleans are 0/1. */
export interface SettingsTable {
  id: Generated<number>
  analyze_mode: Generated<number>
  smtp_server: string | null
  smtp_port: number | null
  smtp_username: string | null
  smtp_password_encrypted: string | null
  smtp_use_tls: Generated<number>
  smtp_from_email: string | null
  smtp_helo_hostname: string | null
  security_auto_ban_enabled: Generated<number>
  security_404_threshold: Generated<number>
  /** hours; 0 = permanent */
  security_404_ban_duration: Generated<number>
  security_api_threshold: Generated<number>
  /** hours; 0 = permanent */
  security_api_ban_duration: Generated<number>
  security_repeat_offender_limit: Generated<number>
  /** UTC ISO-8601 */
  updated_at: string
}

export interface FoundationTables {
  app_meta: AppMetaTable
  settings: SettingsTable
}
