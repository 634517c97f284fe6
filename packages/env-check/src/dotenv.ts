// A python-dotenv compatible reader (spec: platform.md §2.1), so every `.env` an OpenAlgo install
// already has reads the same here. The grammar mirrors python-dotenv's parser: bindings are read
// from the whole text (quoted values may span lines), a line that does not parse is skipped.
// Not supported: `${VAR}` interpolation (values keep a literal `$`).

/** A line python-dotenv would skip because it does not parse. */
export interface DotenvSyntaxError {
  /** 1-based line number where the unparsable binding starts */
  readonly line: number
  /** the key, when one could be read before the error */
  readonly key: string | null
}

/** Where one `KEY = value` binding sits in the text, for edits that keep everything else. */
export interface DotenvBinding {
  readonly key: string
  readonly value: string
  /** offset of the start of the line the binding starts on */
  readonly lineStart: number
  /** offsets of the raw value (quotes included; an unquoted value without its comment) */
  readonly valueStart: number
  readonly valueEnd: number
  /** offset just after the binding's line break (or the end of the text) */
  readonly end: number
}

export interface DotenvParseResult {
  /** variables in file order; a duplicate key keeps its last value */
  readonly vars: Map<string, string>
  readonly errors: readonly DotenvSyntaxError[]
  /** every binding in text order, duplicates included */
  readonly bindings: readonly DotenvBinding[]
}

const MULTILINE_WS = /\s*/y
const EXPORT = /(?:export[^\S\r\n]+)?/y
const SINGLE_QUOTED_KEY = /'([^']+)'/y
const UNQUOTED_KEY = /([^=#\s]+)/y
const WS = /[^\S\r\n]*/y
const EQUAL_SIGN = /=[^\S\r\n]*/y
const SINGLE_QUOTED_VALUE = /'((?:\\'|[^'])*)'/y
const DOUBLE_QUOTED_VALUE = /"((?:\\"|[^"])*)"/y
const UNQUOTED_VALUE = /([^\r\n]*)/y
const COMMENT = /(?:[^\S\r\n]*#[^\r\n]*)?/y
const END_OF_LINE = /[^\S\r\n]*(?:\r\n|\n|\r|$)/y
const REST_OF_LINE = /[^\r\n]*(?:\r\n|\n|\r)?/y

const DOUBLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
}

class SyntaxFailure extends Error {}

class Reader {
  pos = 0
  constructor(readonly text: string) {}

  hasNext(): boolean {
    return this.pos < this.text.length
  }

  peek(): string {
    return this.text.charAt(this.pos)
  }

  read(re: RegExp): RegExpExecArray {
    re.lastIndex = this.pos
    const m = re.exec(this.text)
    if (!m) throw new SyntaxFailure()
    this.pos = re.lastIndex
    return m
  }
}

function lineOf(text: string, pos: number): number {
  let line = 1
  for (let i = 0; i < pos; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) line++
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) line++
  }
  return line
}

function readKey(r: Reader): string | null {
  const c = r.peek()
  if (c === '#') return null
  if (c === "'") return r.read(SINGLE_QUOTED_KEY)[1] ?? ''
  return r.read(UNQUOTED_KEY)[1] ?? ''
}

function readValue(r: Reader): { value: string; rawEnd: number } {
  const c = r.peek()
  if (c === "'") {
    const raw = r.read(SINGLE_QUOTED_VALUE)[1] ?? ''
    return { value: raw.replace(/\\[\\']/g, (s) => s.charAt(1)), rawEnd: r.pos }
  }
  if (c === '"') {
    const raw = r.read(DOUBLE_QUOTED_VALUE)[1] ?? ''
    const value = raw.replace(/\\[\\'"abfnrtv]/g, (s) => DOUBLE_QUOTE_ESCAPES[s.charAt(1)] ?? s)
    return { value, rawEnd: r.pos }
  }
  if (c === '' || c === '\n' || c === '\r') return { value: '', rawEnd: r.pos }
  const start = r.pos
  const raw = r.read(UNQUOTED_VALUE)[1] ?? ''
  // an unquoted value ends at whitespace followed by `#`
  const value = raw.replace(/\s+#.*/, '').trimEnd()
  return { value, rawEnd: start + value.length }
}

function lineStartOf(text: string, pos: number): number {
  let i = pos
  while (i > 0 && text.charAt(i - 1) !== '\n' && text.charAt(i - 1) !== '\r') i--
  return i
}

/**
 * Parses `.env` text with python-dotenv's rules and also reports the lines it had to skip (by
 * line number only: a skipped line may hold a secret).
 */
export function parseDotenvDetailed(text: string): DotenvParseResult {
  const vars = new Map<string, string>()
  const errors: DotenvSyntaxError[] = []
  const bindings: DotenvBinding[] = []
  const r = new Reader(text)
  while (r.hasNext()) {
    r.read(MULTILINE_WS)
    if (!r.hasNext()) break
    const start = r.pos
    let key: string | null = null
    try {
      r.read(EXPORT)
      key = readKey(r)
      r.read(WS)
      let value: { value: string; rawEnd: number } | null = null
      let valueStart = 0
      if (r.peek() === '=') {
        r.read(EQUAL_SIGN)
        valueStart = r.pos
        value = readValue(r)
      }
      r.read(COMMENT)
      r.read(END_OF_LINE)
      // `KEY` with no `=` has no value in python-dotenv and sets nothing
      if (key !== null && value !== null) {
        vars.delete(key) // re-insert so the map's order is the order of the winning bindings
        vars.set(key, value.value)
        bindings.push({
          key,
          value: value.value,
          lineStart: lineStartOf(text, start),
          valueStart,
          valueEnd: value.rawEnd,
          end: r.pos,
        })
      }
    } catch (error) {
      if (!(error instanceof SyntaxFailure)) throw error
      // like python-dotenv: skip the rest of the line from where reading failed
      r.read(REST_OF_LINE)
      errors.push({ line: lineOf(text, start), key })
    }
    if (r.pos === start) r.read(REST_OF_LINE)
  }
  return { vars, errors, bindings }
}

/**
 * Parses `.env` text with python-dotenv's syntax: `KEY = 'value'` (spaces around `=`), single or
 * double quotes (escapes decoded in double quotes), `# comments` after values, `export KEY=...`,
 * CRLF, empty values; a duplicate key keeps its last value; unparsable lines are skipped.
 */
export function parseDotenv(text: string): Map<string, string> {
  return parseDotenvDetailed(text).vars
}

/**
 * Writes `value` as a dotenv value that {@link parseDotenv} reads back unchanged: single quotes
 * when that is exact, double quotes with escapes otherwise.
 */
export function quoteDotenvValue(value: string): string {
  if (!/['\\\r\n]/.test(value)) return `'${value}'`
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
  return `"${escaped}"`
}
