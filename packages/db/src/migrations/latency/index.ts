import type { MigrationSet } from '../../migrate.js'
import { m0001OrderLatency } from './0001-order-latency.js'

/** Migrations of the latency database (`latency.db`). */
export const latencyMigrations: MigrationSet = {
  database: 'latency',
  migrations: { '0001_order_latency': m0001OrderLatency },
}
