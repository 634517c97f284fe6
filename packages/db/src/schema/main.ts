import type { ApiTables } from './api.js'
import type { AnalyzerTables } from './analyzer.js'
import type { FoundationTables } from './foundation.js'
import type { IdentityTables } from './identity.js'
import type { SymbolTables } from './symbols.js'
import type { OrderEventTables } from '../events.js'

/**
 * Every table of the main database (`DATABASE_URL`, default `<OA_DATA_DIR>/openalgo.db`).
 * Each area keeps its tables in its own file under src/schema and is added here.
 */
export interface MainDatabase extends FoundationTables, IdentityTables, AnalyzerTables, ApiTables, SymbolTables, OrderEventTables {}
