import type { MigrationSet } from '../../migrate.js'
import { m0001Foundation } from './0001-foundation.js'

/** Migrations of the main database, by name (see ../README.md for the reserved ranges). */
export const mainMigrations: MigrationSet = {
  database: 'main',
  migrations: {
    '0001_foundation': m0001Foundation,
  },
}
