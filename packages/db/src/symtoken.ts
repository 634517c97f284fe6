// The master contract in SQLite (spec platform.md §3.3, §8; W-19, W-20, W-24): reading it into
// symbol caches (server and ws-proxy) and replacing it after a download without a window where
// the table is empty, half written, or locked for the length of a download.
import { releaseSqliteMemory, type SqliteDatabase } from './sqlite.js'

/**
 * One instrument, in the shape `@oa/symbol-cache` loads and `@oa/broker-sdk` downloads (declared
 * here structurally so the packages stay independent; keep the three in step).
 */
export interface SymbolRow {
  readonly symbol: string
  readonly brSymbol: string
  readonly name: string
  readonly exchange: string
  readonly brExchange: string
  readonly token: string
  /** `DD-MMM-YY`, null when none */
  readonly expiry: string | null
  /** rupees, null when none */
  readonly strike: number | null
  readonly lotSize: number | null
  readonly instrumentType: string | null
  /** rupees per tick */
  readonly tickSize: number | null
  readonly contractValue: number | null
}

/** The app_meta epoch bumped in the swap transaction; ws-proxy reloads its cache when it moves. */
export const SYMBOLS_EPOCH = 'symbols_epoch'

type Raw = [
  symbol: string,
  brsymbol: string,
  name: string | null,
  exchange: string | null,
  brexchange: string | null,
  token: string | number | null,
  expiry: string | null,
  strike: number | null,
  lotsize: number | null,
  instrumenttype: string | null,
  tick_size: number | null,
  contract_value: number | null,
]

const COLUMNS =
  'symbol, brsymbol, name, exchange, brexchange, token, expiry, strike, lotsize, instrumenttype, tick_size, contract_value'

const finiteOrNull = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null
const textOrNull = (v: string | null): string | null => (v === null || v === '' ? null : v)

/**
 * Maps a stored row; undefined when it cannot be a cache row (no symbol, broker symbol, exchange
 * or token: rows an old or foreign writer left behind).
 */
function fromRaw(r: Raw): SymbolRow | undefined {
  const token = r[5] === null ? '' : String(r[5])
  if (!r[0] || !r[1] || !r[3] || token === '') return undefined
  return {
    symbol: r[0],
    brSymbol: r[1],
    name: r[2] ?? '',
    exchange: r[3],
    brExchange: r[4] ?? '',
    token,
    // rows the original wrote use '' for "none"
    expiry: textOrNull(r[6]),
    strike: finiteOrNull(r[7]),
    lotSize: finiteOrNull(r[8]),
    instrumentType: textOrNull(r[9]),
    tickSize: finiteOrNull(r[10]),
    contractValue: finiteOrNull(r[11]),
  }
}

/** Options of {@link iterateSymtoken} and {@link streamSymtoken}. */
export interface ReadSymtokenOptions {
  /** only this exchange */
  readonly exchange?: string
  /** incremented for every stored row skipped as unusable (see {@link SymbolRow}) */
  readonly skipped?: { count: number }
}

/**
 * Streams `symtoken` in id order (the download's order) as {@link SymbolRow}s, with
 * better-sqlite3's `.iterate()`: O(1) memory, ~120k rows in a few hundred milliseconds.
 *
 * Consume it synchronously (`cache.loadSync(iterateSymtoken(db))`): while the iterator is open
 * the connection refuses writes and pragmas, so never `await` between rows. A process serving
 * requests on the same connection should use {@link streamSymtoken} instead.
 *
 * @example
 * ```ts
 * const outcome = cache.loadSync(iterateSymtoken(main.sqlite))
 * ```
 */
export function* iterateSymtoken(
  sqlite: SqliteDatabase,
  options: ReadSymtokenOptions = {},
): Generator<SymbolRow, void, undefined> {
  const stmt = sqlite
    .prepare(
      options.exchange === undefined
        ? `SELECT ${COLUMNS} FROM symtoken ORDER BY id`
        : `SELECT ${COLUMNS} FROM symtoken WHERE exchange = ? ORDER BY id`,
    )
    .raw(true)
  const iterator = (
    options.exchange === undefined ? stmt.iterate() : stmt.iterate(options.exchange)
  ) as IterableIterator<Raw>
  for (const raw of iterator) {
    const row = fromRaw(raw)
    if (row === undefined) {
      if (options.skipped) options.skipped.count++
      continue
    }
    yield row
  }
}

/** Options of {@link streamSymtoken}. */
export interface StreamSymtokenOptions extends ReadSymtokenOptions {
  /** rows read per synchronous page; default 8 192 */
  readonly pageRows?: number
  /** how to yield between pages; default `setImmediate` */
  readonly yieldToEventLoop?: () => Promise<void>
  /** stops between pages (shutdown): the generator throws the signal's reason */
  readonly signal?: AbortSignal
}

const defaultYield = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Reads `symtoken` in id order one page at a time (keyset pagination, each page a synchronous
 * read) and yields to the event loop between pages, so a process keeps serving requests, and
 * writing on the same connection, while it loads 150k rows. No statement stays open across a
 * yield.
 *
 * @throws Error when the table is replaced (its `symbols_epoch` moves) half-way through: the
 * reader must start again rather than mix two contracts.
 */
export async function* streamSymtoken(
  sqlite: SqliteDatabase,
  options: StreamSymtokenOptions = {},
): AsyncGenerator<SymbolRow, void, undefined> {
  const pageRows = options.pageRows ?? 8192
  const pause = options.yieldToEventLoop ?? defaultYield
  const byExchange = options.exchange !== undefined
  const page = sqlite
    .prepare(
      `SELECT id, ${COLUMNS} FROM symtoken WHERE id > ?${byExchange ? ' AND exchange = ?' : ''} ORDER BY id LIMIT ?`,
    )
    .raw(true)
  const epoch = readSymbolsEpoch(sqlite)
  let after = -1
  for (;;) {
    options.signal?.throwIfAborted()
    if (readSymbolsEpoch(sqlite) !== epoch) {
      throw new Error('the master contract was replaced while it was being read')
    }
    const rows = (
      byExchange ? page.all(after, options.exchange, pageRows) : page.all(after, pageRows)
    ) as [number, ...Raw][]
    for (const [id, ...raw] of rows) {
      after = id
      const row = fromRaw(raw)
      if (row === undefined) {
        if (options.skipped) options.skipped.count++
        continue
      }
      yield row
    }
    if (rows.length < pageRows) return
    await pause()
  }
}

/** The current `symbols_epoch` (0 before the first swap). */
export function readSymbolsEpoch(sqlite: SqliteDatabase): number {
  const row = sqlite.prepare('SELECT value FROM app_meta WHERE key = ?').get(SYMBOLS_EPOCH) as
    { value: string } | undefined
  return row === undefined ? 0 : Number(row.value) || 0
}

/** What is in `symtoken` now. */
export interface SymtokenSummary {
  readonly rows: number
  /** the broker of the first row (every row of an oa download has the same); null when empty or legacy */
  readonly broker: string | null
  /** IST trading day of that download, `YYYY-MM-DD` */
  readonly contractDate: string | null
  /** rows per exchange, most first */
  readonly exchanges: Readonly<Record<string, number>>
  readonly epoch: number
}

/** Counts per exchange and the contract's broker and date, with two small queries. */
export function symtokenSummary(sqlite: SqliteDatabase): SymtokenSummary {
  const counts = sqlite
    .prepare(
      'SELECT exchange, COUNT(*) AS n FROM symtoken GROUP BY exchange ORDER BY n DESC, exchange',
    )
    .all() as { exchange: string | null; n: number }[]
  const first = sqlite
    .prepare('SELECT broker, contract_date FROM symtoken ORDER BY id LIMIT 1')
    .get() as { broker: string | null; contract_date: string | null } | undefined
  const exchanges: Record<string, number> = {}
  let rows = 0
  for (const c of counts) {
    rows += c.n
    exchanges[c.exchange ?? ''] = c.n
  }
  return {
    rows,
    broker: first?.broker ?? null,
    contractDate: first?.contract_date ?? null,
    exchanges,
    epoch: readSymbolsEpoch(sqlite),
  }
}

/** The stored row id of (exchange, symbol): a point read on the unique index; undefined when absent. */
export function symtokenId(
  sqlite: SqliteDatabase,
  exchange: string,
  symbol: string,
): number | undefined {
  const row = sqlite
    .prepare('SELECT id FROM symtoken WHERE exchange = ? AND symbol = ?')
    .get(exchange, symbol) as { id: number } | undefined
  return row?.id
}

/** Point reads of single instruments in `symtoken`, for a process that keeps no symbol cache. */
export interface SymtokenLookup {
  /** the row of (exchange, symbol): one read on the unique index */
  bySymbol(exchange: string, symbol: string): SymbolRow | undefined
  /** the first row (lowest id) of (exchange, token); scans the exchange's rows (no index) */
  byToken(exchange: string, token: string): SymbolRow | undefined
  /** the first row (lowest id) of (exchange, brsymbol); scans the exchange's rows (no index) */
  byBrSymbol(exchange: string, brSymbol: string): SymbolRow | undefined
}

/**
 * Prepared point reads of `symtoken` (the ws-proxy resolves each subscribed instrument this way
 * instead of holding a second 150k-row cache). Every read sees the table as it is now: a swapped
 * contract is visible at once. Rows that cannot be looked up (see {@link SymbolRow}) read as
 * absent, as they are absent from a cache loaded by {@link streamSymtoken}; so does everything
 * once the connection is closed.
 *
 * Only `bySymbol` is indexed (`idx_symtoken_exchange_symbol`); the reverse reads scan, a few
 * milliseconds at 150k rows, and suit rare lookups only.
 */
// the rows `fromRaw` keeps, so that a later usable row is found past an unusable first one
const USABLE = "symbol <> '' AND brsymbol <> '' AND token IS NOT NULL AND CAST(token AS TEXT) <> ''"

export function createSymtokenLookup(sqlite: SqliteDatabase): SymtokenLookup {
  const prepare = (where: string) =>
    sqlite
      .prepare(
        `SELECT ${COLUMNS} FROM symtoken WHERE exchange = ? AND ${where} AND ${USABLE} ORDER BY id LIMIT 1`,
      )
      .raw(true)
  const bySymbol = prepare('symbol = ?')
  // tokens are stored as text, or as integers by writers that typed them so (the original's rows)
  const byToken = prepare('CAST(token AS TEXT) = ?')
  const byBrSymbol = prepare('brsymbol = ?')
  const read = (stmt: typeof bySymbol, exchange: string, key: string): SymbolRow | undefined => {
    if (!sqlite.open) return undefined
    const raw = stmt.get(exchange, key) as Raw | undefined
    return raw === undefined ? undefined : fromRaw(raw)
  }
  return {
    bySymbol: (exchange, symbol) => read(bySymbol, exchange, symbol),
    byToken: (exchange, token) => read(byToken, exchange, token),
    byBrSymbol: (exchange, brSymbol) => read(byBrSymbol, exchange, brSymbol),
  }
}

/** Options of {@link replaceSymtoken}. */
export interface ReplaceSymtokenOptions {
  /** the broker whose contract this is (stored on every row, W-24) */
  readonly broker: string
  /** IST trading day of the download, `YYYY-MM-DD` (stored on every row, W-24) */
  readonly contractDate: string
  /** epoch-ms clock, for `app_meta.updated_at` */
  readonly clock: { now(): number }
  /** rows per staging transaction; default 5 000 */
  readonly chunkRows?: number
  /** stops reading; the previous contract stays */
  readonly signal?: AbortSignal
  /** how to yield between staging chunks; default `setImmediate` */
  readonly yieldToEventLoop?: () => Promise<void>
  /** rows staged so far (after each chunk), then the swap */
  readonly onProgress?: (progress: { phase: 'staging' | 'swapping'; rows: number }) => void
  /**
   * Runs inside the swap transaction, after the new rows are in and before the commit: write
   * whatever must change atomically with the contract (its status row). A throw rolls the swap
   * back.
   */
  readonly beforeCommit?: (swap: {
    rows: number
    exchanges: Readonly<Record<string, number>>
  }) => void
}

/** A finished replacement. */
export interface ReplaceSymtokenSummary {
  /** rows now in `symtoken` */
  readonly rows: number
  /** rows dropped because an earlier row had the same (exchange, symbol); the first one wins */
  readonly duplicates: number
  /** rows dropped because they cannot be looked up (empty symbol, token…; see {@link SymbolRow}) */
  readonly invalid: number
  /** rows per exchange */
  readonly exchanges: Readonly<Record<string, number>>
  /** the new `symbols_epoch` */
  readonly epoch: number
  /** time reading and staging rows (the download itself included), ms */
  readonly stagingMs: number
  /** time holding the write lock for the swap, ms */
  readonly swapMs: number
}

/** Why a replacement did not happen; the previous contract is untouched in every case. */
export type ReplaceSymtokenFailure =
  /** the source yielded no usable row (W-19: zero rows is an error, not a success) */
  | 'empty'
  /** `signal` fired */
  | 'aborted'
  /** the row source threw */
  | 'source_failed'
  /** SQLite refused a write (disk full, lock timeout, a `beforeCommit` throw) */
  | 'write_failed'

export type ReplaceSymtokenResult =
  | ({ readonly ok: true } & ReplaceSymtokenSummary)
  | {
      readonly ok: false
      readonly reason: ReplaceSymtokenFailure
      /** for the trader: what went wrong and that the previous contract keeps serving */
      readonly message: string
      readonly rowsRead: number
      readonly cause?: unknown
    }

/** The staging table a replacement fills; the swap renames it to `symtoken`. */
export const SYMTOKEN_STAGING = 'symtoken_staging'

// connections with a replacement under way: a second one would share the staging table
const replacing = new WeakSet<SqliteDatabase>()

function badText(v: unknown): boolean {
  return typeof v !== 'string' || v.length === 0
}
function badNumber(v: unknown): boolean {
  return v !== null && v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))
}
function usable(row: SymbolRow): boolean {
  return !(
    badText(row.symbol) ||
    badText(row.brSymbol) ||
    badText(row.exchange) ||
    badText(row.token) ||
    badNumber(row.strike) ||
    badNumber(row.lotSize) ||
    badNumber(row.tickSize) ||
    badNumber(row.contractValue)
  )
}

/**
 * Replaces the master contract with `rows` (W-19, W-20). Rows go into a staging table with the
 * live table's exact schema, in chunks of short transactions (order writes on other connections
 * slip in between; nothing is locked while a slow download trickles in), de-duplicated on
 * (exchange, symbol) with the first row kept. Then one short IMMEDIATE transaction drops the old
 * `symtoken`, renames the staging table in its place, rebuilds its indexes, bumps
 * `app_meta.symbols_epoch` and runs `beforeCommit`: readers see the old contract or the new one,
 * never a mix, an empty table or half a download. A source that throws, yields nothing usable
 * or is aborted leaves the previous contract exactly as it was.
 *
 * One replacement at a time per connection (a second answers `write_failed`); a staging table
 * left by a crash is dropped by the next replacement.
 *
 * Reports failures as values and never throws.
 *
 * @example
 * ```ts
 * const result = await replaceSymtoken(main.sqlite, broker.instruments.downloadMaster(), {
 *   broker: 'simulator', contractDate: '2025-04-17', clock,
 * })
 * if (!result.ok) log.warn({ reason: result.reason }, result.message)
 * ```
 */
export async function replaceSymtoken(
  sqlite: SqliteDatabase,
  rows: Iterable<SymbolRow> | AsyncIterable<SymbolRow>,
  options: ReplaceSymtokenOptions,
): Promise<ReplaceSymtokenResult> {
  const chunkRows = options.chunkRows ?? 5000
  const pause = options.yieldToEventLoop ?? defaultYield
  const t0 = performance.now()
  let rowsRead = 0
  let duplicates = 0
  let invalid = 0
  let staged = 0
  const exchanges: Record<string, number> = {}
  const fail = (
    reason: ReplaceSymtokenFailure,
    message: string,
    cause?: unknown,
  ): ReplaceSymtokenResult => ({ ok: false, reason, message, rowsRead, cause })

  if (replacing.has(sqlite)) {
    return fail('write_failed', 'another master contract replacement is running')
  }
  replacing.add(sqlite)
  let swapped = false
  // checkpoint once after the swap instead of after every staging chunk: the staging commits stay
  // short, and the copy into the database file does not count against the write lock
  const autoCheckpoint = Number(sqlite.pragma('wal_autocheckpoint', { simple: true }))
  sqlite.pragma('wal_autocheckpoint = 0')
  try {
    let indexes: string[]
    try {
      const live = sqlite
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'symtoken'")
        .get() as { sql: string } | undefined
      if (live === undefined) throw new Error('no symtoken table (run the migrations)')
      indexes = (
        sqlite
          .prepare(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'symtoken' AND sql IS NOT NULL",
          )
          .all() as { sql: string }[]
      ).map((r) => r.sql)
      const ddl = live.sql.replace(
        /^CREATE TABLE\s+(?:"symtoken"|`symtoken`|\[symtoken\]|symtoken)/i,
        `CREATE TABLE ${SYMTOKEN_STAGING}`,
      )
      sqlite.exec(`DROP TABLE IF EXISTS ${SYMTOKEN_STAGING}`)
      sqlite.exec(ddl)
    } catch (cause) {
      return fail('write_failed', `could not create the staging table: ${errorText(cause)}`, cause)
    }

    const insert = sqlite.prepare(
      `INSERT INTO ${SYMTOKEN_STAGING} (${COLUMNS}, broker, contract_date)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const seen = new Set<string>()
    const writeChunk = sqlite.transaction((chunk: readonly SymbolRow[]) => {
      for (const r of chunk) {
        insert.run(
          r.symbol,
          r.brSymbol,
          r.name ?? '',
          r.exchange,
          r.brExchange ?? '',
          r.token,
          r.expiry ?? null,
          r.strike ?? null,
          r.lotSize ?? null,
          r.instrumentType ?? null,
          r.tickSize ?? null,
          r.contractValue ?? null,
          options.broker,
          options.contractDate,
        )
        staged++
        exchanges[r.exchange] = (exchanges[r.exchange] ?? 0) + 1
      }
    })
    let chunk: SymbolRow[] = []
    const flush = async (): Promise<ReplaceSymtokenResult | undefined> => {
      if (chunk.length === 0) return undefined
      try {
        writeChunk(chunk)
      } catch (cause) {
        return fail(
          'write_failed',
          `staging the master contract failed: ${errorText(cause)}`,
          cause,
        )
      }
      chunk = []
      options.onProgress?.({ phase: 'staging', rows: staged })
      await pause()
      return undefined
    }
    try {
      for await (const row of rows as AsyncIterable<SymbolRow>) {
        if (options.signal?.aborted) break
        rowsRead++
        if (!usable(row)) {
          invalid++
          continue
        }
        const key = `${row.exchange}\u0000${row.symbol}`
        if (seen.has(key)) {
          duplicates++
          continue
        }
        seen.add(key)
        chunk.push(row)
        if (chunk.length >= chunkRows) {
          const failed = await flush()
          if (failed) return failed
        }
      }
    } catch (cause) {
      return fail('source_failed', `reading the master contract failed: ${errorText(cause)}`, cause)
    }
    if (options.signal?.aborted) return fail('aborted', 'the master contract download was stopped')
    const failed = await flush()
    if (failed) return failed
    if (staged === 0) {
      return fail(
        'empty',
        rowsRead === 0
          ? 'the master contract download returned no instruments'
          : `the master contract download returned no usable instruments (${invalid} rejected)`,
      )
    }

    options.onProgress?.({ phase: 'swapping', rows: staged })
    const stagingMs = performance.now() - t0
    const t1 = performance.now()
    let epoch = 0
    try {
      const swap = sqlite.transaction(() => {
        sqlite.exec('DROP TABLE symtoken')
        sqlite.exec(`ALTER TABLE ${SYMTOKEN_STAGING} RENAME TO symtoken`)
        for (const sql of indexes) sqlite.exec(sql)
        const at = new Date(options.clock.now()).toISOString()
        sqlite
          .prepare(
            `INSERT INTO app_meta (key, value, updated_at) VALUES (?, '1', ?)
             ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT),
             updated_at = excluded.updated_at`,
          )
          .run(SYMBOLS_EPOCH, at)
        epoch = readSymbolsEpoch(sqlite)
        options.beforeCommit?.({ rows: staged, exchanges })
      })
      swap.immediate()
      swapped = true
    } catch (cause) {
      return fail(
        'write_failed',
        `swapping in the master contract failed: ${errorText(cause)}`,
        cause,
      )
    }
    return {
      ok: true,
      rows: staged,
      duplicates,
      invalid,
      exchanges,
      epoch,
      stagingMs,
      swapMs: performance.now() - t1,
    }
  } finally {
    try {
      if (!swapped) sqlite.exec(`DROP TABLE IF EXISTS ${SYMTOKEN_STAGING}`)
      sqlite.pragma(
        `wal_autocheckpoint = ${Number.isFinite(autoCheckpoint) ? autoCheckpoint : 1000}`,
      )
      // PASSIVE: copies what no reader still needs, never waits for or blocks another connection
      sqlite.pragma('wal_checkpoint(PASSIVE)')
      // the staging pages filled the page cache; nothing reads them again soon
      releaseSqliteMemory(sqlite)
    } catch {
      // the connection is closing; the next replacement drops a leftover staging table
    }
    replacing.delete(sqlite)
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
