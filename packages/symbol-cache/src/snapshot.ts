// The immutable, columnar snapshot (spec: platform.md §4.1-4.2, W-22, W-24). One row is spread
// over parallel columns: JS strings only where a lookup returns them (symbol, token), packed
// Latin-1 bytes for broker symbols, interned ids for every repeated value (exchange, broker
// exchange, name, instrument type, expiry, underlying, lot size, tick size, contract value) and a
// strike table grouping rows by strike. Three open-addressing tables of row numbers index (symbol, exchange),
// (token, exchange) and (broker symbol, exchange); a key is the field alone and the probe also
// compares the exchange, so equal tokens on two exchanges never overwrite each other (W-24) and
// a token-only lookup finds every one of them on one probe run.
import {
  BytesBuilder,
  codeAt,
  latin1Decoder,
  NumberInterner,
  StringInterner,
  U32Builder,
  type CodeArray,
  type Latin1Decoder,
} from './columns.js'
import { SymbolCacheError } from './errors.js'
import { parseExpiryDay } from './expiry.js'
import { buildGramIndex, type GramIndex, type GramSource, type GramVisitor } from './gram-index.js'
import { hashBytes, hashString, tableCapacity } from './hash.js'
import { FNO_EXCHANGES, underlyingOfUpper } from './underlying.js'
import type { SymbolInfo, SymbolRow } from './types.js'

/** Row kind bits, from the upper-cased symbol's suffix and the stored instrument type. */
export const KIND_CE = 1
export const KIND_PE = 2
export const KIND_FUT = 4
export const KIND_PERP = 8
/** a fact for a row that is neither option nor future */
export const KIND_OTHER = 16

/** Version tag of {@link SnapshotData}; a dump from another version is rejected. */
export const SNAPSHOT_FORMAT = 'oa-symbol-snapshot' as const
export const SNAPSHOT_VERSION = 2 as const

/**
 * Everything a snapshot holds, as plain data: typed arrays, string arrays and numbers. It is
 * also the columnar dump format, so a worker thread can build a snapshot and post it to the
 * main thread (structured clone), or a tool can persist it.
 */
export interface SnapshotData {
  readonly format: typeof SNAPSHOT_FORMAT
  readonly version: typeof SNAPSHOT_VERSION
  readonly count: number
  readonly broker: string | null
  readonly builtAtMs: number
  readonly symbols: readonly string[]
  /**
   * each row's token as a number where it is one written the canonical way (decimal digits, no
   * leading zero, below {@link TOKEN_OTHER}: every Indian broker's tokens are), else
   * {@link TOKEN_OTHER} and the token in `tokenOther`. 4 bytes a row instead of a ~32-byte string.
   */
  readonly tokenNums: Uint32Array
  readonly tokenOther: readonly (readonly [number, string])[]
  /** packed Latin-1 broker symbols; row r spans `[brEnds[r-1] ?? 0, brEnds[r])`, empty = same as symbol */
  readonly brBytes: Uint8Array
  readonly brEnds: Uint32Array
  /** rows whose broker symbol has characters beyond Latin-1 */
  readonly brWide: readonly (readonly [number, string])[]
  /** upper-cased search forms of rows whose symbol / broker symbol is not already upper case */
  readonly symbolUpper: readonly (readonly [number, string])[]
  readonly brUpper: readonly (readonly [number, string])[]
  readonly exchanges: readonly (string | null)[]
  readonly exchangeIds: CodeArray
  readonly brExchanges: readonly (string | null)[]
  readonly brExchangeIds: CodeArray
  readonly names: readonly (string | null)[]
  readonly namesUpper: readonly (string | null)[]
  readonly nameIds: CodeArray
  readonly types: readonly (string | null)[]
  readonly typeIds: CodeArray
  readonly expiries: readonly (string | null)[]
  /** day number of each expiry (days since 1970-01-01), NaN when unparsable or null */
  readonly expiryDays: Float64Array
  readonly expiryIds: CodeArray
  readonly underlyings: readonly (string | null)[]
  readonly underlyingIds: CodeArray
  /** rows grouped by underlying id (ascending within a group), for option chains */
  readonly underlyingStarts: Uint32Array
  readonly underlyingRows: Uint32Array
  readonly lotSizes: Float64Array
  readonly lotIds: CodeArray
  readonly tickSizes: Float64Array
  readonly tickIds: CodeArray
  readonly contractValues: Float64Array
  readonly contractValueIds: CodeArray
  /** strike table (NaN = null at id 0) and per-row ids */
  readonly strikeValues: Float64Array
  readonly strikeIds: CodeArray
  /** rows grouped by strike id, ascending within a group: `strikeRows[strikeStarts[id] .. strikeStarts[id + 1])` */
  readonly strikeStarts: Uint32Array
  readonly strikeRows: Uint32Array
  readonly kinds: Uint8Array
  readonly symbolTable: Int32Array
  readonly tokenTable: Int32Array
  readonly brTable: Int32Array
  readonly grams: GramIndex
  /** distinct (exchange, underlying, expiry) combinations with the OR of their rows' kinds */
  readonly facts: {
    readonly exchangeIds: Uint32Array
    readonly underlyingIds: Uint32Array
    readonly expiryIds: Uint32Array
    readonly kinds: Uint8Array
  }
  readonly duplicates: {
    readonly symbol: number
    readonly token: number
    readonly brSymbol: number
  }
}

/** {@link SnapshotData.tokenNums} of a row whose token is not a canonical number. */
export const TOKEN_OTHER = 0xffffffff

/** The token as a number when `String(n) === token` and n < {@link TOKEN_OTHER}, else -1. */
export function tokenNumber(token: string): number {
  const len = token.length
  if (len === 0 || len > 10 || (len > 1 && token.charCodeAt(0) === 48)) return -1
  let n = 0
  for (let i = 0; i < len; i++) {
    const d = token.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n < TOKEN_OTHER ? n : -1
}

function hasLowerOrWide(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if ((c >= 97 && c <= 122) || c > 127) return true
  }
  return false
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v)
}

/**
 * Collects rows in one pass (no row is kept; each is spread over the columns as it arrives),
 * then `finish()` builds the indexes.
 */
export class SnapshotBuilder {
  private readonly symbols: string[] = []
  private readonly tokenNums = new U32Builder(1 << 14)
  private readonly tokenOther: [number, string][] = []
  private readonly br = new BytesBuilder(1 << 20)
  private readonly brEnds = new U32Builder(1 << 14)
  private readonly brWide: [number, string][] = []
  private readonly symbolUpper: [number, string][] = []
  private readonly brUpper: [number, string][] = []
  private readonly exchange = new StringInterner()
  private readonly brExchange = new StringInterner()
  private readonly name = new StringInterner()
  private readonly type = new StringInterner()
  private readonly expiry = new StringInterner()
  private readonly underlying = new StringInterner()
  private readonly lot = new NumberInterner()
  private readonly tick = new NumberInterner()
  private readonly contractValue = new NumberInterner()
  private readonly exchangeIds = new U32Builder(1 << 14)
  private readonly brExchangeIds = new U32Builder(1 << 14)
  private readonly nameIds = new U32Builder(1 << 14)
  private readonly typeIds = new U32Builder(1 << 14)
  private readonly expiryIds = new U32Builder(1 << 14)
  private readonly underlyingIds = new U32Builder(1 << 14)
  private readonly lotIds = new U32Builder(1 << 14)
  private readonly tickIds = new U32Builder(1 << 14)
  private readonly contractValueIds = new U32Builder(1 << 14)
  private readonly strike = new NumberInterner()
  private readonly strikeIds = new U32Builder(1 << 14)
  private readonly kinds = new U32Builder(1 << 14)

  constructor(private readonly options: { broker: string | null; nowMs: number }) {}

  get count(): number {
    return this.symbols.length
  }

  /** Appends one row; returns an `invalid_row` error (and appends nothing) when it breaks the contract. */
  add(row: SymbolRow): SymbolCacheError | undefined {
    const problem = validate(row)
    if (problem !== undefined) {
      return new SymbolCacheError('invalid_row', `row ${this.symbols.length}: ${problem}`)
    }
    const r = this.symbols.length
    const { symbol, exchange } = row
    const brSymbol = row.brSymbol
    this.symbols.push(symbol)
    const num = tokenNumber(row.token)
    this.tokenNums.push(num < 0 ? TOKEN_OTHER : num)
    if (num < 0) this.tokenOther.push([r, row.token])
    const upper = hasLowerOrWide(symbol) ? symbol.toUpperCase() : symbol
    if (upper !== symbol) this.symbolUpper.push([r, upper])
    if (brSymbol !== symbol && !this.br.pushLatin1(brSymbol)) this.brWide.push([r, brSymbol])
    this.brEnds.push(this.br.length)
    if (brSymbol !== symbol && hasLowerOrWide(brSymbol)) {
      const brUp = brSymbol.toUpperCase()
      if (brUp !== brSymbol) this.brUpper.push([r, brUp])
    }
    this.exchangeIds.push(this.exchange.id(exchange))
    this.brExchangeIds.push(this.brExchange.id(row.brExchange ?? ''))
    this.nameIds.push(this.name.id(row.name ?? ''))
    this.typeIds.push(this.type.id(row.instrumentType))
    this.expiryIds.push(this.expiry.id(row.expiry))
    const u = FNO_EXCHANGES.has(exchange) ? underlyingOfUpper(upper, exchange) : null
    this.underlyingIds.push(this.underlying.id(u))
    this.lotIds.push(this.lot.id(row.lotSize))
    this.tickIds.push(this.tick.id(row.tickSize))
    this.contractValueIds.push(this.contractValue.id(row.contractValue))
    this.strikeIds.push(this.strike.id(row.strike ?? null))
    let kind = 0
    if (upper.endsWith('CE')) kind |= KIND_CE
    else if (upper.endsWith('PE')) kind |= KIND_PE
    else if (upper.endsWith('FUT')) kind |= KIND_FUT
    const type = row.instrumentType
    if (type !== null && type.length === 7 && type.toUpperCase() === 'PERPFUT') kind |= KIND_PERP
    this.kinds.push(kind)
    return undefined
  }

  /** Builds the indexes and returns the finished snapshot. */
  finish(): Snapshot {
    const n = this.symbols.length
    const exchangeIds = this.exchangeIds.toCodes(this.exchange.values.length)
    const expiryIds = this.expiryIds.toCodes(this.expiry.values.length)
    const underlyingIds = this.underlyingIds.toCodes(this.underlying.values.length)
    const byUnderlying = groupRows(this.underlyingIds, this.underlying.values.length)
    const byStrike = groupRows(this.strikeIds, this.strike.size)
    const kinds = Uint8Array.from(this.kinds.toUint32())
    const brBytes = this.br.toArray()
    const brEnds = this.brEnds.toUint32()
    const names = this.name.values
    const partial = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      count: n,
      broker: this.options.broker,
      builtAtMs: this.options.nowMs,
      symbols: this.symbols.slice(),
      tokenNums: this.tokenNums.toUint32(),
      tokenOther: this.tokenOther,
      brBytes,
      brEnds,
      brWide: this.brWide,
      symbolUpper: this.symbolUpper,
      brUpper: this.brUpper,
      exchanges: this.exchange.values,
      exchangeIds,
      brExchanges: this.brExchange.values,
      brExchangeIds: this.brExchangeIds.toCodes(this.brExchange.values.length),
      names,
      namesUpper: names.map((s) => (s === null ? null : s.toUpperCase())),
      nameIds: this.nameIds.toCodes(names.length),
      types: this.type.values,
      typeIds: this.typeIds.toCodes(this.type.values.length),
      expiries: this.expiry.values,
      expiryDays: Float64Array.from(this.expiry.values, (e) =>
        e === null ? Number.NaN : (parseExpiryDay(e) ?? Number.NaN),
      ),
      expiryIds,
      underlyings: this.underlying.values,
      underlyingIds,
      underlyingStarts: byUnderlying.starts,
      underlyingRows: byUnderlying.rows,
      lotSizes: this.lot.toArray(),
      lotIds: this.lotIds.toCodes(this.lot.toArray().length),
      tickSizes: this.tick.toArray(),
      tickIds: this.tickIds.toCodes(this.tick.toArray().length),
      contractValues: this.contractValue.toArray(),
      contractValueIds: this.contractValueIds.toCodes(this.contractValue.toArray().length),
      strikeValues: this.strike.toArray(),
      strikeIds: this.strikeIds.toCodes(this.strike.size),
      strikeStarts: byStrike.starts,
      strikeRows: byStrike.rows,
      kinds,
    }
    const view = new Snapshot({
      ...partial,
      // filled below; the row accessors the index builders use do not read them
      symbolTable: new Int32Array(0),
      tokenTable: new Int32Array(0),
      brTable: new Int32Array(0),
      grams: {
        bits: 10,
        offsets: new Uint32Array(0),
        counts: new Uint32Array(0),
        bytes: new Uint8Array(0),
      },
      facts: buildFacts(n, exchangeIds, underlyingIds, expiryIds, kinds),
      duplicates: { symbol: 0, token: 0, brSymbol: 0 },
    })
    const sameExchange = (a: number, b: number): boolean =>
      codeAt(exchangeIds, a) === codeAt(exchangeIds, b)
    const symbolHashes = new Uint32Array(n)
    const tokenHashes = new Uint32Array(n)
    const brHashes = new Uint32Array(n)
    for (let r = 0; r < n; r++) {
      symbolHashes[r] = hashString(view.symbolAt(r))
      tokenHashes[r] = hashString(view.tokenAt(r))
      brHashes[r] = view.brHash(r)
    }
    const symbol = buildTable(
      symbolHashes,
      (a, b) => sameExchange(a, b) && view.symbolAt(a) === view.symbolAt(b),
    )
    const token = buildTable(
      tokenHashes,
      (a, b) => sameExchange(a, b) && view.tokenIs(b, view.tokenAt(a)),
    )
    const br = buildTable(brHashes, (a, b) => sameExchange(a, b) && view.brSymbolsEqual(a, b))
    return new Snapshot({
      ...view.data,
      symbolTable: symbol.table,
      tokenTable: token.table,
      brTable: br.table,
      grams: buildGramIndex(view),
      duplicates: { symbol: symbol.duplicates, token: token.duplicates, brSymbol: br.duplicates },
    })
  }
}

const badText = (v: unknown): boolean => typeof v !== 'string' || v === ''
const badOptionalText = (v: unknown): boolean =>
  v !== null && v !== undefined && typeof v !== 'string'
const badNumber = (v: unknown): boolean =>
  v !== null && v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))

// Plain property reads, not a loop over field names: keyed loads over many names turn
// megamorphic and cost more than the rest of a row's load.
function validate(row: SymbolRow): string | undefined {
  if (badText(row.symbol)) return `symbol must be a non-empty string, got ${describe(row.symbol)}`
  if (badText(row.brSymbol))
    return `brSymbol must be a non-empty string, got ${describe(row.brSymbol)}`
  if (badText(row.exchange))
    return `exchange must be a non-empty string, got ${describe(row.exchange)}`
  if (badText(row.token)) return `token must be a non-empty string, got ${describe(row.token)}`
  if (badOptionalText(row.name)) return `name must be a string, got ${describe(row.name)}`
  if (badOptionalText(row.brExchange))
    return `brExchange must be a string, got ${describe(row.brExchange)}`
  if (badOptionalText(row.expiry))
    return `expiry must be a string or null, got ${describe(row.expiry)}`
  if (badOptionalText(row.instrumentType)) {
    return `instrumentType must be a string or null, got ${describe(row.instrumentType)}`
  }
  if (badNumber(row.strike))
    return `strike must be a finite number or null, got ${describe(row.strike)}`
  if (badNumber(row.lotSize))
    return `lotSize must be a finite number or null, got ${describe(row.lotSize)}`
  if (badNumber(row.tickSize))
    return `tickSize must be a finite number or null, got ${describe(row.tickSize)}`
  if (badNumber(row.contractValue)) {
    return `contractValue must be a finite number or null, got ${describe(row.contractValue)}`
  }
  return undefined
}

/**
 * Open-addressing table of row numbers keyed by one field; rows whose field is equal share one
 * probe run and the lookup tells them apart by exchange (`sameKey` compares field and exchange). A later row with the same field and
 * exchange replaces the earlier one (the original's dict assignment), counted as a duplicate.
 */
function buildTable(
  hashes: Uint32Array,
  sameKey: (a: number, b: number) => boolean,
): { table: Int32Array; duplicates: number } {
  const n = hashes.length
  const table = new Int32Array(tableCapacity(n)).fill(-1)
  const mask = table.length - 1
  let duplicates = 0
  for (let r = 0; r < n; r++) {
    const h = hashes[r] ?? 0
    let p = h & mask
    for (;;) {
      const s = table[p] ?? -1
      if (s < 0) {
        table[p] = r
        break
      }
      // compare keys only when the full hashes agree: equal keys, or a rare 32-bit collision
      if (hashes[s] === h && sameKey(s, r)) {
        table[p] = r
        duplicates++
        break
      }
      p = (p + 1) & mask
    }
  }
  return { table, duplicates }
}

/** Rows grouped by id (a counting sort): group `id` is `rows[starts[id] .. starts[id + 1])`. */
function groupRows(ids: U32Builder, tableSize: number): { starts: Uint32Array; rows: Uint32Array } {
  const codes = ids.toUint32()
  const starts = new Uint32Array(tableSize + 1)
  for (const id of codes) starts[id + 1] = (starts[id + 1] ?? 0) + 1
  for (let i = 1; i <= tableSize; i++) starts[i] = (starts[i] ?? 0) + (starts[i - 1] ?? 0)
  const cursor = starts.slice(0, tableSize)
  const rows = new Uint32Array(codes.length)
  for (let r = 0; r < codes.length; r++) {
    const id = codes[r] ?? 0
    rows[cursor[id] ?? 0] = r
    cursor[id] = (cursor[id] ?? 0) + 1
  }
  return { starts, rows }
}

function buildFacts(
  n: number,
  exchangeIds: CodeArray,
  underlyingIds: CodeArray,
  expiryIds: CodeArray,
  kinds: Uint8Array,
): SnapshotData['facts'] {
  const seen = new Map<number, number>()
  const U = 2 ** 21
  for (let r = 0; r < n; r++) {
    const u = codeAt(underlyingIds, r)
    const e = codeAt(expiryIds, r)
    if (u === 0 && e === 0) continue
    const key = (codeAt(exchangeIds, r) * U + u) * U + e
    const k = kinds[r] ?? 0
    seen.set(key, (seen.get(key) ?? 0) | (k === 0 || k === KIND_PERP ? KIND_OTHER | k : k))
  }
  const size = seen.size
  const facts = {
    exchangeIds: new Uint32Array(size),
    underlyingIds: new Uint32Array(size),
    expiryIds: new Uint32Array(size),
    kinds: new Uint8Array(size),
  }
  let i = 0
  for (const [key, kind] of seen) {
    facts.expiryIds[i] = key % U
    facts.underlyingIds[i] = Math.floor(key / U) % U
    facts.exchangeIds[i] = Math.floor(key / U / U)
    facts.kinds[i] = kind
    i++
  }
  return facts
}

/** V8 layout size of a flat string without pointer compression: 16-byte header, 8-byte aligned. */
function stringBytes(s: string): number {
  let wide = false
  for (let i = 0; i < s.length && !wide; i++) wide = s.charCodeAt(i) > 0xff
  return 16 + Math.ceil((s.length * (wide ? 2 : 1)) / 8) * 8
}

/** Backing store of a JS array of `n` pointers plus the strings it holds. */
function stringArrayBytes(values: readonly (string | null)[]): number {
  let total = 16 + 8 * values.length
  for (const v of values) if (v !== null) total += stringBytes(v)
  return total
}

function pairsBytes(pairs: readonly (readonly [number, string])[]): number {
  // the pair arrays plus the Map the snapshot builds from them (~28 bytes an entry)
  let total = 16 + 8 * pairs.length
  for (const [, s] of pairs) total += 64 + 28 + stringBytes(s)
  return total
}

/**
 * Byte size of a snapshot, measured from what it holds: every typed array's `byteLength`, every
 * string's V8 layout (header + payload, 8-byte aligned) and array slots. Not a per-row estimate;
 * the benchmark checks it against a `process.memoryUsage()` delta around a load.
 */
export function measureSnapshotBytes(d: SnapshotData): number {
  const typed = [
    d.brBytes,
    d.brEnds,
    d.exchangeIds,
    d.brExchangeIds,
    d.nameIds,
    d.typeIds,
    d.expiryDays,
    d.expiryIds,
    d.underlyingIds,
    d.underlyingStarts,
    d.underlyingRows,
    d.lotSizes,
    d.lotIds,
    d.tickSizes,
    d.tickIds,
    d.contractValues,
    d.contractValueIds,
    d.strikeValues,
    d.strikeIds,
    d.strikeStarts,
    d.strikeRows,
    d.kinds,
    d.tokenNums,
    d.symbolTable,
    d.tokenTable,
    d.brTable,
    d.grams.offsets,
    d.grams.counts,
    d.grams.bytes,
    d.facts.exchangeIds,
    d.facts.underlyingIds,
    d.facts.expiryIds,
    d.facts.kinds,
  ]
  let total = 0
  for (const t of typed) total += t.byteLength + 64 // + the typed array object itself
  for (const list of [
    d.symbols,
    d.exchanges,
    d.brExchanges,
    d.names,
    d.namesUpper,
    d.types,
    d.expiries,
    d.underlyings,
  ]) {
    total += stringArrayBytes(list)
  }
  return (
    total +
    pairsBytes(d.tokenOther) +
    pairsBytes(d.brWide) +
    pairsBytes(d.symbolUpper) +
    pairsBytes(d.brUpper)
  )
}

/** Interned number of row r, null for id 0 (NaN). */
function numberAt(table: Float64Array, ids: CodeArray, r: number): number | null {
  const v = table[codeAt(ids, r)] ?? Number.NaN
  return Number.isNaN(v) ? null : v
}

function indexOf(values: readonly (string | null)[]): Map<string, number> {
  const m = new Map<string, number>()
  values.forEach((v, i) => {
    if (v !== null && !m.has(v)) m.set(v, i)
  })
  return m
}

/**
 * Read side of a snapshot: row lookups and per-row accessors. Immutable once constructed; the
 * cache swaps whole snapshots, so a reader holding one keeps a consistent view.
 */
export class Snapshot implements GramSource {
  readonly count: number
  readonly symbols: readonly string[]
  readonly exchangeIds: CodeArray
  readonly exchanges: readonly (string | null)[]
  readonly underlyingIds: CodeArray
  readonly underlyings: readonly (string | null)[]
  readonly expiryIds: CodeArray
  readonly strikeIds: CodeArray
  readonly strikeValues: Float64Array
  readonly kinds: Uint8Array
  private measuredBytes = -1
  private readonly symbolTable: Int32Array
  private readonly tokenTable: Int32Array
  private readonly brTable: Int32Array
  private readonly brBytes: Uint8Array
  private readonly brEnds: Uint32Array
  private readonly decodeBr: Latin1Decoder
  private readonly tokenNums: Uint32Array
  private readonly tokenOtherOf: ReadonlyMap<number, string>
  private readonly brWide: ReadonlyMap<number, string>
  private readonly symbolUpperOf: ReadonlyMap<number, string>
  private readonly brUpperOf: ReadonlyMap<number, string>
  private readonly namesUpper: readonly (string | null)[]
  private readonly exchangeIdOf: ReadonlyMap<string, number>
  private readonly underlyingIdOf: ReadonlyMap<string, number>
  private readonly expiryIdOf: ReadonlyMap<string, number>
  private readonly strikeIdOf: Map<number, number>

  constructor(readonly data: SnapshotData) {
    this.count = data.count
    this.symbols = data.symbols
    this.tokenNums = data.tokenNums
    this.tokenOtherOf = new Map(data.tokenOther)
    this.exchangeIds = data.exchangeIds
    this.exchanges = data.exchanges
    this.underlyingIds = data.underlyingIds
    this.underlyings = data.underlyings
    this.expiryIds = data.expiryIds
    this.strikeIds = data.strikeIds
    this.strikeValues = data.strikeValues
    this.strikeIdOf = new Map()
    data.strikeValues.forEach((v, i) => {
      if (i > 0) this.strikeIdOf.set(v, i)
    })
    this.kinds = data.kinds
    this.symbolTable = data.symbolTable
    this.tokenTable = data.tokenTable
    this.brTable = data.brTable
    this.brBytes = data.brBytes
    this.brEnds = data.brEnds
    this.decodeBr = latin1Decoder(data.brBytes)
    this.brWide = new Map(data.brWide)
    this.symbolUpperOf = new Map(data.symbolUpper)
    this.brUpperOf = new Map(data.brUpper)
    this.namesUpper = data.namesUpper
    this.exchangeIdOf = indexOf(data.exchanges)
    this.underlyingIdOf = indexOf(data.underlyings)
    this.expiryIdOf = indexOf(data.expiries)
  }

  /** {@link measureSnapshotBytes}, computed on first use. */
  get byteSize(): number {
    if (this.measuredBytes < 0) this.measuredBytes = measureSnapshotBytes(this.data)
    return this.measuredBytes
  }

  /** Row of (symbol, exchange), or -1. The hot path: one hash, a short probe, no allocation. */
  rowOfSymbol(symbol: string, exchange: string): number {
    const table = this.symbolTable
    const mask = table.length - 1
    const symbols = this.symbols
    let p = hashString(symbol) & mask
    for (;;) {
      const r = table[p] ?? -1
      if (r < 0) return -1
      if (symbols[r] === symbol && this.exchangeAt(r) === exchange) return r
      p = (p + 1) & mask
    }
  }

  /** Row of (token, exchange), or -1. */
  rowOfToken(token: string, exchange: string): number {
    const table = this.tokenTable
    const mask = table.length - 1
    const num = tokenNumber(token)
    let p = hashString(token) & mask
    for (;;) {
      const r = table[p] ?? -1
      if (r < 0) return -1
      if (this.tokenMatches(r, token, num) && this.exchangeAt(r) === exchange) return r
      p = (p + 1) & mask
    }
  }

  /** Every row carrying `token`, one per exchange, in load order. */
  rowsOfToken(token: string): number[] {
    const table = this.tokenTable
    const mask = table.length - 1
    const out: number[] = []
    const num = tokenNumber(token)
    let p = hashString(token) & mask
    for (;;) {
      const r = table[p] ?? -1
      if (r < 0) break
      if (this.tokenMatches(r, token, num)) out.push(r)
      p = (p + 1) & mask
    }
    return out.sort((a, b) => a - b)
  }

  /** Row of (broker symbol, exchange), or -1. */
  rowOfBrSymbol(brSymbol: string, exchange: string): number {
    const table = this.brTable
    const mask = table.length - 1
    let p = hashString(brSymbol) & mask
    for (;;) {
      const r = table[p] ?? -1
      if (r < 0) return -1
      if (this.exchangeAt(r) === exchange && this.brSymbolEquals(r, brSymbol)) return r
      p = (p + 1) & mask
    }
  }

  exchangeId(exchange: string): number {
    return this.exchangeIdOf.get(exchange) ?? -1
  }
  underlyingId(underlying: string): number {
    return this.underlyingIdOf.get(underlying) ?? -1
  }
  expiryId(expiry: string): number {
    return this.expiryIdOf.get(expiry) ?? -1
  }

  symbolAt(r: number): string {
    return this.symbols[r] ?? ''
  }
  tokenAt(r: number): string {
    const num = this.tokenNums[r]
    if (num === undefined) return ''
    return num === TOKEN_OTHER ? (this.tokenOtherOf.get(r) ?? '') : String(num)
  }
  /** whether row r's token is `token` (no string made) */
  tokenIs(r: number, token: string): boolean {
    return this.tokenMatches(r, token, tokenNumber(token))
  }
  private tokenMatches(r: number, token: string, num: number): boolean {
    const stored = this.tokenNums[r]
    return num >= 0 ? stored === num : stored === TOKEN_OTHER && this.tokenOtherOf.get(r) === token
  }
  exchangeAt(r: number): string {
    return this.exchanges[codeAt(this.exchangeIds, r)] ?? ''
  }
  brExchangeAt(r: number): string {
    return this.data.brExchanges[codeAt(this.data.brExchangeIds, r)] ?? ''
  }
  underlyingAt(r: number): string | null {
    return this.underlyings[codeAt(this.underlyingIds, r)] ?? null
  }
  expiryAt(r: number): string | null {
    return this.data.expiries[codeAt(this.expiryIds, r)] ?? null
  }

  private brStart(r: number): number {
    return r === 0 ? 0 : (this.brEnds[r - 1] ?? 0)
  }

  /** The broker symbol (decoded from the packed column; allocates). */
  brSymbolAt(r: number): string {
    const wide = this.brWide.get(r)
    if (wide !== undefined) return wide
    const start = this.brStart(r)
    const end = this.brEnds[r] ?? 0
    return start === end ? this.symbolAt(r) : this.decodeBr(start, end)
  }

  /** {@link hashString} of the broker symbol without decoding it. */
  brHash(r: number): number {
    const wide = this.brWide.get(r)
    if (wide !== undefined) return hashString(wide)
    const start = this.brStart(r)
    const end = this.brEnds[r] ?? 0
    return start === end ? hashString(this.symbolAt(r)) : hashBytes(this.brBytes, start, end)
  }

  /** Whether rows a and b have the same broker symbol, compared without decoding. */
  brSymbolsEqual(a: number, b: number): boolean {
    const sa = this.brStart(a)
    const ea = this.brEnds[a] ?? 0
    const sb = this.brStart(b)
    const eb = this.brEnds[b] ?? 0
    if (sa === ea || sb === eb || this.brWide.size > 0)
      return this.brSymbolAt(a) === this.brSymbolAt(b)
    if (ea - sa !== eb - sb) return false
    const bytes = this.brBytes
    for (let i = 0; i < ea - sa; i++) if (bytes[sa + i] !== bytes[sb + i]) return false
    return true
  }

  private brSymbolEquals(r: number, s: string): boolean {
    const wide = this.brWide.get(r)
    if (wide !== undefined) return wide === s
    const start = this.brStart(r)
    const end = this.brEnds[r] ?? 0
    if (start === end) return this.symbols[r] === s
    if (end - start !== s.length) return false
    const bytes = this.brBytes
    for (let i = 0; i < s.length; i++) if (bytes[start + i] !== s.charCodeAt(i)) return false
    return true
  }

  /** Upper-cased symbol, the form search compares against. */
  symbolUpperAt(r: number): string {
    return this.symbolUpperOf.size === 0
      ? this.symbolAt(r)
      : (this.symbolUpperOf.get(r) ?? this.symbolAt(r))
  }

  /** Upper-cased name ('' when none). */
  nameUpperAt(r: number): string {
    return this.namesUpper[codeAt(this.data.nameIds, r)] ?? ''
  }

  /** Whether the upper-cased broker symbol contains `term`, without decoding it. */
  brIncludes(r: number, term: string): boolean {
    const special = this.brUpperOf.get(r) ?? this.brWide.get(r)
    if (special !== undefined) return special.includes(term)
    const start = this.brStart(r)
    const end = this.brEnds[r] ?? 0
    if (start === end) return this.symbolUpperAt(r).includes(term)
    const m = term.length
    const bytes = this.brBytes
    const first = term.charCodeAt(0)
    outer: for (let i = start; i + m <= end; i++) {
      if (bytes[i] !== first) continue
      for (let j = 1; j < m; j++) if (bytes[i + j] !== term.charCodeAt(j)) continue outer
      return true
    }
    return false
  }

  /** Strike of row r, NaN for none. */
  strikeOf(r: number): number {
    return this.strikeValues[codeAt(this.strikeIds, r)] ?? Number.NaN
  }

  /** Strike of row r, or null. */
  strikeAt(r: number): number | null {
    const v = this.strikeOf(r)
    return Number.isNaN(v) ? null : v
  }

  /** Rows of underlying id `id`, ascending. */
  rowsOfUnderlying(id: number): Uint32Array {
    const d = this.data
    return d.underlyingRows.subarray(d.underlyingStarts[id] ?? 0, d.underlyingStarts[id + 1] ?? 0)
  }

  /** Rows whose strike equals `value`, ascending; empty for NaN or an unknown value. */
  rowsWithStrike(value: number): Uint32Array {
    const id = this.strikeIdOf.get(value)
    if (id === undefined) return new Uint32Array(0)
    const d = this.data
    return d.strikeRows.subarray(d.strikeStarts[id] ?? 0, d.strikeStarts[id + 1] ?? 0)
  }

  /** The full record of row r as a fresh object. */
  infoAt(r: number): SymbolInfo {
    const d = this.data
    return {
      symbol: this.symbolAt(r),
      brSymbol: this.brSymbolAt(r),
      name: d.names[codeAt(d.nameIds, r)] ?? '',
      exchange: this.exchangeAt(r),
      brExchange: this.brExchangeAt(r),
      token: this.tokenAt(r),
      expiry: this.expiryAt(r),
      strike: this.strikeAt(r),
      lotSize: numberAt(d.lotSizes, d.lotIds, r),
      instrumentType: d.types[codeAt(d.typeIds, r)] ?? null,
      tickSize: numberAt(d.tickSizes, d.tickIds, r),
      contractValue: numberAt(d.contractValues, d.contractValueIds, r),
      underlying: this.underlyingAt(r),
    }
  }

  /** GramSource: every searchable field of row r, upper-cased (the token as stored). */
  fields(r: number, v: GramVisitor): void {
    const symU = this.symbolUpperAt(r)
    v.str(symU)
    const special =
      this.brUpperOf.size + this.brWide.size === 0
        ? undefined
        : (this.brUpperOf.get(r) ?? this.brWide.get(r))
    if (special !== undefined) v.str(special)
    else {
      const start = this.brStart(r)
      const end = this.brEnds[r] ?? 0
      if (start !== end) v.bytes(this.brBytes, start, end)
    }
    // an F&O row's name is its root, a prefix of the symbol: its trigrams are already in
    const name = this.nameUpperAt(r)
    if (!symU.startsWith(name)) v.str(name)
    v.str(this.tokenAt(r))
  }
}

/** Checks a dump's tag and column lengths before trusting it; undefined when it is sound. */
export function checkSnapshotData(d: unknown): string | undefined {
  if (typeof d !== 'object' || d === null) return 'a dump must be an object'
  const x = d as Partial<SnapshotData>
  if (x.format !== SNAPSHOT_FORMAT || x.version !== SNAPSHOT_VERSION) {
    return `expected format ${SNAPSHOT_FORMAT} version ${SNAPSHOT_VERSION}, got ${String(x.format)} ${String(x.version)}`
  }
  const n = x.count
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    return 'count must be a natural number'
  const perRow: (keyof SnapshotData)[] = [
    'symbols',
    'tokenNums',
    'brEnds',
    'exchangeIds',
    'brExchangeIds',
    'nameIds',
    'typeIds',
    'expiryIds',
    'underlyingIds',
    'lotIds',
    'tickIds',
    'contractValueIds',
    'strikeIds',
    'strikeRows',
    'underlyingRows',
    'kinds',
  ]
  for (const key of perRow) {
    const col = x[key] as { length?: unknown } | undefined
    if (col?.length !== n) return `${key} must have ${n} entries`
  }
  if (!(x.tokenNums instanceof Uint32Array) || !Array.isArray(x.tokenOther)) {
    return 'tokenNums must be a Uint32Array and tokenOther an array'
  }
  for (const key of ['symbolTable', 'tokenTable', 'brTable'] as const) {
    const t = x[key]
    if (!(t instanceof Int32Array) || t.length < n || (t.length & (t.length - 1)) !== 0) {
      return `${key} must be an Int32Array with a power-of-two length of at least ${n}`
    }
  }
  if (!x.grams || !x.facts || !x.duplicates) return 'grams, facts and duplicates are required'
  const bits = x.grams.bits
  if (!Number.isInteger(bits) || bits < 10 || bits > 16) return 'grams.bits must be 10-16'
  if (x.grams.offsets.length !== 2 ** bits + 1 || x.grams.counts.length !== 2 ** bits) {
    return `grams must have ${2 ** bits} buckets`
  }
  return undefined
}
