// Building blocks of the columnar snapshot: growable typed arrays for the one-pass load (the row
// count of an iterable is unknown up front), intern tables for repeated values, and code arrays
// narrowed to the smallest unsigned width that holds their table.

/** A column of small integer ids into an intern table. */
export type CodeArray = Uint8Array | Uint16Array | Uint32Array

/** A Uint32Array that doubles as it fills. */
export class U32Builder {
  private buf: Uint32Array
  length = 0
  constructor(initial = 1024) {
    this.buf = new Uint32Array(Math.max(16, initial))
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2)
      next.set(this.buf)
      this.buf = next
    }
    this.buf[this.length++] = v
  }
  /** The filled part as the narrowest code array able to hold `maxValue`. */
  toCodes(maxValue: number): CodeArray {
    const out =
      maxValue <= 0xff
        ? new Uint8Array(this.length)
        : maxValue <= 0xffff
          ? new Uint16Array(this.length)
          : new Uint32Array(this.length)
    out.set(this.buf.subarray(0, this.length))
    return out
  }
  toUint32(): Uint32Array {
    return this.buf.slice(0, this.length)
  }
}

/** A Float64Array that doubles as it fills. */
export class F64Builder {
  private buf: Float64Array
  length = 0
  constructor(initial = 1024) {
    this.buf = new Float64Array(Math.max(16, initial))
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2)
      next.set(this.buf)
      this.buf = next
    }
    this.buf[this.length++] = v
  }
  toArray(): Float64Array {
    return this.buf.slice(0, this.length)
  }
}

/** A Uint8Array that doubles as it fills (packed Latin-1 text). */
export class BytesBuilder {
  private buf: Uint8Array
  length = 0
  constructor(initial = 4096) {
    this.buf = new Uint8Array(Math.max(16, initial))
  }
  ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.length + extra) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
  }
  /** Appends `s` if every char fits in one byte; returns false (and appends nothing) otherwise. */
  pushLatin1(s: string): boolean {
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false
    this.ensure(s.length)
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i)
    return true
  }
  toArray(): Uint8Array {
    return this.buf.slice(0, this.length)
  }
}

/** Interns strings; id 0 is reserved for null. */
export class StringInterner {
  private readonly ids = new Map<string, number>()
  readonly values: (string | null)[] = [null]
  // consecutive rows mostly repeat exchange, name, expiry, …: skip the Map for a repeat
  private lastValue: string | null = null
  private lastId = 0
  id(value: string | null): number {
    if (value === null) return 0
    if (value === this.lastValue) return this.lastId
    let id = this.ids.get(value)
    if (id === undefined) {
      id = this.values.length
      this.ids.set(value, id)
      this.values.push(value)
    }
    this.lastValue = value
    this.lastId = id
    return id
  }
  /** Existing id of `value`, or -1. */
  find(value: string): number {
    return this.ids.get(value) ?? -1
  }
}

/** Interns numbers; id 0 is reserved for null. */
export class NumberInterner {
  private readonly ids = new Map<number, number>()
  private readonly list: number[] = [Number.NaN]
  private lastValue = Number.NaN
  private lastId = 0
  id(value: number | null): number {
    if (value === null) return 0
    if (value === this.lastValue) return this.lastId
    let id = this.ids.get(value)
    if (id === undefined) {
      id = this.list.length
      this.ids.set(value, id)
      this.list.push(value)
    }
    this.lastValue = value
    this.lastId = id
    return id
  }
  /** Number of ids handed out, null included. */
  get size(): number {
    return this.list.length
  }
  /** The table with NaN standing for null at id 0. */
  toArray(): Float64Array {
    return Float64Array.from(this.list)
  }
}

/** Reads a code array cell; ids are always in range, 0 (null) for a hole. */
export function codeAt(codes: CodeArray, row: number): number {
  return codes[row] ?? 0
}

/** Decodes Latin-1 bytes `[start, end)` of the array it was made for. */
export type Latin1Decoder = (start: number, end: number) => string

interface NodeBufferLike {
  latin1Slice(start: number, end: number): string
}
interface NodeBufferCtor {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): NodeBufferLike
}

/**
 * A decoder for `bytes`. On Node it uses a Buffer view's `latin1Slice` (no copy; about half the
 * cost of the portable path, which matters on `getBrSymbol` for every order); elsewhere one
 * `String.fromCharCode` call over a subarray.
 */
export function latin1Decoder(bytes: Uint8Array): Latin1Decoder {
  const B = (globalThis as unknown as { Buffer?: NodeBufferCtor }).Buffer
  const view = B?.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view && typeof view.latin1Slice === 'function') {
    return (start, end) => view.latin1Slice(start, end)
  }
  return (start, end) =>
    String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[])
}
