import type { MigrationSet } from '../../migrate.js'

/** Migrations of the traffic/security database (`logs.db`). */
export const logsMigrations: MigrationSet = { database: 'logs', migrations: {} }
