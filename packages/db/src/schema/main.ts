import type { FoundationTables } from './foundation.js'

/**
 * Every table of the main database (`DATABASE_URL`, default `<OA_DATA_DIR>/openalgo.db`).
 * Each area keeps its tables in its own file under src/schema and is added here.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MainDatabase extends FoundationTables {}
