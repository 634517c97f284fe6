// Trigram index for search (spec: platform.md §4.4). A term can be a substring of a row's symbol,
// broker symbol, name or token only if every trigram of the term occurs among that row's trigrams,
// so the rows posted under the term's rarest trigram are a superset of its matches; search then
// verifies each candidate with the exact rule. This turns "NIFTY 24000 CE" over 150k rows from a
// full scan (~6 ms) into checking a few hundred rows.
//
// Memory: trigrams hash into 2^10..2^16 buckets by row count (a collision only widens a superset). Each bucket's
// posting list holds ascending row numbers, delta-encoded as varints: dense lists ("NIF" on most
// NFO rows) cost one byte a posting. Built in two passes (collect, then write) with no per-bucket
// arrays: the first pass hashes the text, the second replays the recorded buckets.

/** Bucket bits for `rows` rows: 2^16 buckets at 16k rows and up, fewer for small snapshots. */
export function gramBitsFor(rows: number): number {
  let bits = 10
  while (bits < 16 && 1 << bits < rows * 4) bits++
  return bits
}

/** The encoded index: posting list of bucket b is `bytes[offsets[b] .. offsets[b + 1])`. */
export interface GramIndex {
  /** bucket bits; there are `2 ** bits` buckets */
  readonly bits: number
  readonly offsets: Uint32Array
  /** rows posted per bucket */
  readonly counts: Uint32Array
  readonly bytes: Uint8Array
}

/** Bucket of the trigram (c0, c1, c2); code units above 1023 fold, which only adds collisions. */
export function gramBucket(c0: number, c1: number, c2: number, bits: number): number {
  const k = (c0 & 0x3ff) | ((c1 & 0x3ff) << 10) | ((c2 & 0x3ff) << 20)
  return Math.imul(k, 0x9e3779b1) >>> (32 - bits)
}

/** Receives each searchable field of a row. */
export interface GramVisitor {
  str(s: string): void
  bytes(buf: Uint8Array, start: number, end: number): void
}

/** The rows to index: `fields(r, v)` hands every searchable field of row `r` to `v`. */
export interface GramSource {
  readonly count: number
  fields(row: number, visitor: GramVisitor): void
}

function varintLength(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5
}

/**
 * First pass: hashes every field once, records each row's distinct buckets in a transient
 * Uint16Array (2 bytes a bucket, freed after the build) and sizes the posting lists, so the
 * write pass replays buckets instead of hashing the text again.
 */
class CollectPass implements GramVisitor {
  readonly last: Int32Array
  readonly counts: Uint32Array
  readonly sizes: Uint32Array
  buckets: Uint16Array
  length = 0
  row = 0
  constructor(
    rows: number,
    readonly bits: number,
  ) {
    this.last = new Int32Array(1 << bits).fill(-1)
    this.counts = new Uint32Array(1 << bits)
    this.sizes = new Uint32Array(1 << bits)
    this.buckets = new Uint16Array(Math.max(1024, rows * 32))
  }
  private hit(b: number): void {
    const last = this.last[b] ?? -1
    if (last === this.row) return
    this.sizes[b] = (this.sizes[b] ?? 0) + varintLength(this.row - last)
    this.counts[b] = (this.counts[b] ?? 0) + 1
    this.last[b] = this.row
    if (this.length === this.buckets.length) {
      const next = new Uint16Array(this.buckets.length * 2)
      next.set(this.buckets)
      this.buckets = next
    }
    this.buckets[this.length++] = b
  }
  str(s: string): void {
    const n = s.length
    if (n < 3) return
    let c0 = s.charCodeAt(0)
    let c1 = s.charCodeAt(1)
    for (let i = 2; i < n; i++) {
      const c2 = s.charCodeAt(i)
      this.hit(gramBucket(c0, c1, c2, this.bits))
      c0 = c1
      c1 = c2
    }
  }
  bytes(buf: Uint8Array, start: number, end: number): void {
    if (end - start < 3) return
    let c0 = buf[start] ?? 0
    let c1 = buf[start + 1] ?? 0
    for (let i = start + 2; i < end; i++) {
      const c2 = buf[i] ?? 0
      this.hit(gramBucket(c0, c1, c2, this.bits))
      c0 = c1
      c1 = c2
    }
  }
}

/** Builds the index over every row of `source`: one pass over the text, one over the buckets. */
export function buildGramIndex(source: GramSource): GramIndex {
  const n = source.count
  const bits = gramBitsFor(n)
  const bucketCount = 1 << bits
  const collect = new CollectPass(n, bits)
  const rowEnds = new Uint32Array(n)
  for (let r = 0; r < n; r++) {
    collect.row = r
    source.fields(r, collect)
    rowEnds[r] = collect.length
  }
  const offsets = new Uint32Array(bucketCount + 1)
  let total = 0
  for (let b = 0; b < bucketCount; b++) {
    offsets[b] = total
    total += collect.sizes[b] ?? 0
  }
  offsets[bucketCount] = total
  const bytes = new Uint8Array(total)
  const cursor = offsets.slice(0, bucketCount)
  const last = collect.last.fill(-1)
  const buckets = collect.buckets
  let i = 0
  for (let r = 0; r < n; r++) {
    const end = rowEnds[r] ?? 0
    for (; i < end; i++) {
      const b = buckets[i] ?? 0
      let v = r - (last[b] ?? -1)
      let at = cursor[b] ?? 0
      while (v >= 0x80) {
        bytes[at++] = (v & 0x7f) | 0x80
        v >>>= 7
      }
      bytes[at++] = v
      cursor[b] = at
      last[b] = r
    }
  }
  return { bits, offsets, counts: collect.counts, bytes }
}

/** Buckets of every trigram of `term` (deduplicated); empty when the term is shorter than 3. */
export function termBuckets(term: string, bits: number): number[] {
  const out: number[] = []
  for (let i = 2; i < term.length; i++) {
    const b = gramBucket(term.charCodeAt(i - 2), term.charCodeAt(i - 1), term.charCodeAt(i), bits)
    if (!out.includes(b)) out.push(b)
  }
  return out
}

/** The rows posted under `bucket`, ascending. */
export function postings(index: GramIndex, bucket: number): Int32Array {
  const out = new Int32Array(index.counts[bucket] ?? 0)
  const bytes = index.bytes
  let at = index.offsets[bucket] ?? 0
  let row = -1
  for (let i = 0; i < out.length; i++) {
    let byte = bytes[at++] ?? 0
    let v = byte & 0x7f
    // row deltas stay below 2^28, so four 7-bit groups and plain shifts suffice
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = bytes[at++] ?? 0
      v |= (byte & 0x7f) << shift
    }
    row += v
    out[i] = row
  }
  return out
}

/**
 * Keeps in `rows[0 .. length)` (ascending) only the rows also posted under `bucket`, decoding the
 * posting list as it merges: no second array. Returns the new length.
 */
export function intersectPosting(
  index: GramIndex,
  bucket: number,
  rows: Int32Array,
  length: number,
): number {
  const bytes = index.bytes
  let at = index.offsets[bucket] ?? 0
  const end = index.offsets[bucket + 1] ?? 0
  let posted = -1
  let kept = 0
  let i = 0
  while (i < length && at < end) {
    let byte = bytes[at++] ?? 0
    let v = byte & 0x7f
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = bytes[at++] ?? 0
      v |= (byte & 0x7f) << shift
    }
    posted += v
    while (i < length && (rows[i] ?? 0) < posted) i++
    if (i < length && rows[i] === posted) rows[kept++] = rows[i++] ?? 0
  }
  return kept
}
