import type { MigrationSet } from '../../migrate.js'
import { m0001Security } from './0001-security.js'
import { m0002TrafficIndexes } from './0002-traffic-indexes.js'

/** Migrations of the traffic/security database (`logs.db`). */
export const logsMigrations: MigrationSet = {
  database: 'logs',
  migrations: {
    '0001_security': m0001Security,
    '0002_traffic_indexes': m0002TrafficIndexes,
  },
}
