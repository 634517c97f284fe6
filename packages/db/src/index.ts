/**
 * `@oa/db`: the SQLite schema of oa (kysely table types), its versioned migrations and the
 * connection policy (WAL, `synchronous=NORMAL`, busy timeout) shared by the server, the
 * ws-proxy and the `oa` subcommands.
 *
 * @example
 * ```ts
 * import { openDatabase, mainMigrations, type MainDatabase } from '@oa/db'
 * const main = await openDatabase<MainDatabase>('db/openalgo.db', mainMigrations)
 * const row = await main.db.selectFrom('settings').select('analyze_mode').executeTakeFirst()
 * await main.close()
 * ```
 */
export { openSqlite, closeSqlite, DEFAULT_CACHE_KIB, SQLITE_DRIVER_PATH } from './sqlite.js'
export type { SqliteDatabase, OpenSqliteOptions } from './sqlite.js'
export { migrateToLatest, MigrationError } from './migrate.js'
export type { MigrationSet } from './migrate.js'
export { openDatabase } from './databases.js'
export type { DatabaseHandle } from './databases.js'
export { mainMigrations } from './migrations/main/index.js'
export { logsMigrations } from './migrations/logs/index.js'
export { latencyMigrations } from './migrations/latency/index.js'
export type { MainDatabase } from './schema/main.js'
export type { AnalyzerLogsTable, AnalyzerTables } from './schema/analyzer.js'
export {
  ORDER_EVENT_KINDS,
  ORDER_EVENT_STATUSES,
  appendOrderEvent,
  appendOrderEvents,
  lastOrderEventId,
  orderEventMessageSchema,
  orderEventsMessageSchema,
  orderEventSchema,
  proxyToServerMessageSchema,
  purgeOrderEvents,
  readOrderEvents,
  readOrderEventsAfterId,
  serverToProxyMessageSchema,
  toOrderUpdateFrame,
} from './events.js'
export type {
  OrderEvent,
  OrderEventKind,
  OrderEventMessage,
  OrderEventsMessage,
  OrderEventStatus,
  OrderEventTables,
  OrderEventToAppend,
  OrderEventsTable,
  ProxyToServerMessage,
  ServerToProxyMessage,
  StoredOrderEvent,
} from './events.js'
export type { LogsDatabase } from './schema/logs.js'
export type { LatencyDatabase, OrderLatencyTable } from './schema/latency.js'
export type {
  ApiTables,
  ChartPreferencesTable,
  MarketHolidayExchangesTable,
  MarketHolidaysTable,
  MarketTimingsTable,
} from './schema/api.js'
export type { AppMetaTable, SettingsTable, FoundationTables } from './schema/foundation.js'
export type {
  IdentityTables,
  UsersTable,
  AuthTable,
  ApiKeysTable,
  ActiveSessionsTable,
  LoginAttemptsTable,
  PasswordResetTokensTable,
} from './schema/identity.js'
export type {
  TrafficLogsTable,
  IpBansTable,
  Error404TrackerTable,
  InvalidApiKeyTrackerTable,
  AbuseEventsTable,
} from './schema/logs.js'
export type {
  SymbolTables,
  SymtokenTable,
  MasterContractStatusTable,
  QtyFreezeTable,
} from './schema/symbols.js'
export {
  SYMBOLS_EPOCH,
  SYMTOKEN_STAGING,
  createSymtokenLookup,
  iterateSymtoken,
  readSymbolsEpoch,
  replaceSymtoken,
  streamSymtoken,
  symtokenId,
  symtokenSummary,
} from './symtoken.js'
export type {
  ReadSymtokenOptions,
  ReplaceSymtokenFailure,
  ReplaceSymtokenOptions,
  ReplaceSymtokenResult,
  ReplaceSymtokenSummary,
  StreamSymtokenOptions,
  SymbolRow,
  SymtokenLookup,
  SymtokenSummary,
} from './symtoken.js'
export { readQtyFreeze, seedQtyFreezeIfEmpty } from './qty-freeze.js'
export type { FreezeQtyRow } from './qty-freeze.js'
export { NFO_FREEZE_QTY_SEED } from './qty-freeze-seed.js'
