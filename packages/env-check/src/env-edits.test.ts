import { describe, expect, it } from 'vitest'
import { parseDotenv } from './dotenv.js'
import { applyEditsToText, isPlacedAfter } from './env-edits.js'

describe('applyEditsToText', () => {
  it('replaces a value keeping its quotes, spacing and comment', () => {
    const text = "# head\nAPP_KEY = 'old' # signs cookies\nB=1\n"
    expect(applyEditsToText(text, [{ op: 'set', variable: 'APP_KEY', value: 'new' }])).toBe(
      "# head\nAPP_KEY = 'new' # signs cookies\nB=1\n",
    )
    expect(applyEditsToText('A="old"\n', [{ op: 'set', variable: 'A', value: 'n' }])).toBe(
      'A="n"\n',
    )
    expect(applyEditsToText('A=old # c\n', [{ op: 'set', variable: 'A', value: 'n' }])).toBe(
      "A='n' # c\n",
    )
    expect(applyEditsToText('A=\n', [{ op: 'set', variable: 'A', value: 'n' }])).toBe("A='n'\n")
  })

  it('sets every assignment of a duplicated variable', () => {
    const out = applyEditsToText("A='1'\nB=2\nA='3'\n", [{ op: 'set', variable: 'A', value: 'x' }])
    expect(out).toBe("A='x'\nB=2\nA='x'\n")
  })

  it('turns a commented-out line into an assignment, else appends one', () => {
    const text = "A=1\n# GREEKS_RATE_LIMIT = '30 per minute'\n"
    expect(
      applyEditsToText(text, [{ op: 'set', variable: 'GREEKS_RATE_LIMIT', value: '9 per minute' }]),
    ).toBe("A=1\nGREEKS_RATE_LIMIT = '9 per minute'\n")
    expect(applyEditsToText('A=1', [{ op: 'set', variable: 'NEW', value: "it's" }])).toBe(
      'A=1\nNEW = "it\'s"\n',
    )
  })

  it('keeps CRLF line endings', () => {
    const text = "A='1'\r\nAPI_KEY_PEPPER='p'\r\nC=3\r\nFERNET_SALT='s'\r\n"
    const out = applyEditsToText(text, [
      { op: 'set', variable: 'A', value: '2' },
      { op: 'place_after', variable: 'FERNET_SALT', value: 'abc', after: 'API_KEY_PEPPER' },
      { op: 'set', variable: 'NEW', value: 'n' },
    ])
    expect(out).toBe("A='2'\r\nAPI_KEY_PEPPER='p'\r\nFERNET_SALT = 'abc'\r\nC=3\r\nNEW = 'n'\r\n")
    expect(out.replace(/\r\n/g, '')).not.toContain('\n')
  })

  it('moves a variable next to its anchor, removing every other copy', () => {
    const text = "FERNET_SALT='a'\nAPI_KEY_PEPPER = 'p' # pepper\n\nX=1\nFERNET_SALT='b'\n"
    const out = applyEditsToText(text, [
      { op: 'place_after', variable: 'FERNET_SALT', value: 'c', after: 'API_KEY_PEPPER' },
    ])
    expect(out).toBe("API_KEY_PEPPER = 'p' # pepper\nFERNET_SALT = 'c'\n\nX=1\n")
    expect(isPlacedAfter(out, 'FERNET_SALT', 'API_KEY_PEPPER')).toBe(true)
  })

  it('adds a line break when the anchor is the last line without one', () => {
    expect(
      applyEditsToText("API_KEY_PEPPER='p'", [
        { op: 'place_after', variable: 'FERNET_SALT', value: 'c', after: 'API_KEY_PEPPER' },
      ]),
    ).toBe("API_KEY_PEPPER='p'\nFERNET_SALT = 'c'\n")
  })

  it('keeps every other variable readable exactly as before', () => {
    const text = "A = 'x' # c\nB=\"multi\nline\"\nexport C=3\nAPI_KEY_PEPPER=p\nD='d'\n"
    const out = applyEditsToText(text, [
      { op: 'set', variable: 'A', value: 'y' },
      { op: 'place_after', variable: 'FERNET_SALT', value: 'f', after: 'API_KEY_PEPPER' },
    ])
    expect(Object.fromEntries(parseDotenv(out))).toEqual({
      A: 'y',
      B: 'multi\nline',
      C: '3',
      API_KEY_PEPPER: 'p',
      FERNET_SALT: 'f',
      D: 'd',
    })
  })
})

describe('isPlacedAfter', () => {
  it('needs exactly one line break between the two lines', () => {
    expect(isPlacedAfter("P='1'\nF='2'\n", 'F', 'P')).toBe(true)
    expect(isPlacedAfter("P='1'\r\nF='2'\r\n", 'F', 'P')).toBe(true)
    expect(isPlacedAfter("P='1'\n\nF='2'\n", 'F', 'P')).toBe(false)
    expect(isPlacedAfter("F='2'\nP='1'\n", 'F', 'P')).toBe(false)
    expect(isPlacedAfter("P='1'\n", 'F', 'P')).toBe(false)
  })
})
