import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseDotenv, parseDotenvDetailed, quoteDotenvValue } from './dotenv.js'

const read = (text: string): Record<string, string> => Object.fromEntries(parseDotenv(text))

describe('parseDotenv (python-dotenv syntax)', () => {
  it("reads KEY = 'value' with spaces around the equals sign", () => {
    expect(read("APP_KEY = 'abc'\nFLASK_PORT='5000'\nLOG_LEVEL=INFO\n")).toEqual({
      APP_KEY: 'abc',
      FLASK_PORT: '5000',
      LOG_LEVEL: 'INFO',
    })
  })

  it('reads single- and double-quoted values, keeping inner spaces', () => {
    expect(read(`A = ' sp '\nB = " two words "`)).toEqual({ A: ' sp ', B: ' two words ' })
  })

  it('decodes escapes in double quotes only', () => {
    expect(read(String.raw`A="line1\nline2\t\"q\" \\ \'s\' \q"`)).toEqual({
      A: 'line1\nline2\t"q" \\ \'s\' \\q',
    })
    // single quotes decode only \\ and \'
    expect(read(String.raw`B='a\\b\'c\nd'`)).toEqual({ B: "a\\b'c\\nd" })
  })

  it('drops a trailing # comment after quoted and unquoted values', () => {
    expect(
      read(
        'A = \'x\' # comment\nB = "y"   # comment\nC = z # comment\nD = spaced value   # c\nE=a#b\n',
      ),
    ).toEqual({ A: 'x', B: 'y', C: 'z', D: 'spaced value', E: 'a#b' })
  })

  it('keeps a # inside quotes', () => {
    expect(read('CSP = "\'self\' #not-a-comment"')).toEqual({ CSP: "'self' #not-a-comment" })
  })

  it('accepts export KEY=...', () => {
    expect(read('export FLASK_PORT=5000\nexport   HOST = "h"')).toEqual({
      FLASK_PORT: '5000',
      HOST: 'h',
    })
  })

  it('tolerates CRLF line endings', () => {
    expect(read('A=\'1\'\r\nB=2\r\n# c\r\n\r\nC="3" # c\r\n')).toEqual({ A: '1', B: '2', C: '3' })
  })

  it('reads empty values as empty strings', () => {
    expect(read('A=\nB=\'\'\nC=""\nD = # not a comment: python-dotenv keeps it\n')).toEqual({
      A: '',
      B: '',
      C: '',
      D: '# not a comment: python-dotenv keeps it',
    })
  })

  it('skips blank lines and comment lines, indented or not', () => {
    expect(read('\n\n# A=1\n   # B=2\n\t\nC=3\n')).toEqual({ C: '3' })
  })

  it('keeps the last value of a duplicate key', () => {
    expect(read("A = 'first'\nB=1\nA = 'second'\n")).toEqual({ A: 'second', B: '1' })
  })

  it('reads quoted values spanning several lines', () => {
    expect(read("A='one\ntwo'\nB=3")).toEqual({ A: 'one\ntwo', B: '3' })
  })

  it('ignores a key without an equals sign', () => {
    expect(read('LONELY\nA=1')).toEqual({ A: '1' })
  })

  it('reads a single-quoted key', () => {
    expect(read("'QUOTED'=yes")).toEqual({ QUOTED: 'yes' })
  })

  it('treats a UTF-8 byte-order mark as whitespace (python-dotenv would keep it in the key)', () => {
    expect(read('\ufeffA=1')).toEqual({ A: '1' })
  })

  it('skips an unparsable line, reports its number and key, and reads the next one', () => {
    const r = parseDotenvDetailed("A=1\nB='bad' junk\nC=3\n=novalue\nD=4\n")
    expect(Object.fromEntries(r.vars)).toEqual({ A: '1', C: '3', D: '4' })
    expect(r.errors).toEqual([
      { line: 2, key: 'B' },
      { line: 4, key: null },
    ])
  })

  // Expected values produced by python-dotenv 1.2.2 (dotenv_values, interpolate=False).
  const PYTHON_DOTENV_CASES: readonly [string, Record<string, string>][] = [
    ['A=1\nB = \'two\'\nC="th\\nree"\n', { A: '1', B: 'two', C: 'th\nree' }],
    [
      "export D=4 # c\nE='x' # c\nF=a#b\nG=\n H = ' sp ' \n",
      { D: '4', E: 'x', F: 'a#b', G: '', H: ' sp ' },
    ],
    ["I=\"a\\\\b\\\"c\\'d\\qe\"\nJ='a\\\\b\\'c\\qd'\n", { I: 'a\\b"c\'d\\qe', J: "a\\b'c\\qd" }],
    ["K='multi\nline'\nL=1\r\nM=2\r\n", { K: 'multi\nline', L: '1', M: '2' }],
    ["N='bad' junk\nO=ok\n", { O: 'ok' }],
    ["P\nQ=\n#R=1\n  # S=2\n'T'=quoted\n", { Q: '', T: 'quoted' }],
    ['U="unterminated\nV=5\n', { V: '5' }],
    [
      'W=a \\#b\nX=  spaced value  # comment\nY=x\tz\n',
      { W: 'a \\#b', X: 'spaced value', Y: 'x\tz' },
    ],
    ['=novalue\nZ=z\n', { Z: 'z' }],
    ['AA=\'it\'\'s\'\nAB="a""b"\n', {}],
    ['AD = "x" # c\nAD = \'y\'\n', { AD: 'y' }],
    ['AE="a\\\\"\nAF=1"\n', { AE: 'a\\"\nAF=1' }],
  ]

  it.each(PYTHON_DOTENV_CASES)('reads %j exactly as python-dotenv does', (text, expected) => {
    expect(read(text)).toEqual(expected)
  })

  it('records where each binding sits so edits can keep the rest of the line', () => {
    const text = "A = 'x' # c\nB=y\n"
    const [a, b] = parseDotenvDetailed(text).bindings
    expect(text.slice(a?.valueStart, a?.valueEnd)).toBe("'x'")
    expect(a?.lineStart).toBe(0)
    expect(a?.end).toBe(12)
    expect(text.slice(b?.valueStart, b?.valueEnd)).toBe('y')
  })
})

describe('quoteDotenvValue', () => {
  it('single-quotes plain values', () => {
    expect(quoteDotenvValue('abc 123')).toBe("'abc 123'")
  })

  it('double-quotes values with quotes, backslashes or line breaks', () => {
    expect(quoteDotenvValue("it's")).toBe('"it\'s"')
    expect(quoteDotenvValue('a\\b')).toBe('"a\\\\b"')
    expect(quoteDotenvValue('a\nb')).toBe('"a\\nb"')
  })

  it('round-trips any value through parseDotenv', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        expect(parseDotenv(`K = ${quoteDotenvValue(value)} # comment\n`).get('K')).toBe(value)
      }),
      { numRuns: 300 },
    )
  })
})
