import type { MigrationSet } from '../../migrate.js'

/** Migrations of the latency database (`latency.db`). */
export const latencyMigrations: MigrationSet = { database: 'latency', migrations: {} }
