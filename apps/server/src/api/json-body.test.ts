import { describe, expect, it } from 'vitest'
import { findDuplicateKey, keyTokens, parseJsonBody } from './json-body.js'

describe('parseJsonBody', () => {
  it('accepts ordinary objects, arrays and unicode', () => {
    expect(parseJsonBody('{"symbol":"M&M","q":"1","legs":[{"a":1},{"a":2}]}')).toEqual({
      ok: true,
      value: { symbol: 'M&M', q: '1', legs: [{ a: 1 }, { a: 2 }] },
    })
    expect(parseJsonBody('{"symbol":"निफ्टी"}').ok).toBe(true)
  })

  it('rejects malformed JSON, NaN and trailing garbage', () => {
    for (const bad of ['{', '{"a":NaN}', '{"a":1} x', "{'a':1}", '']) {
      expect(parseJsonBody(bad)).toEqual({ ok: false, message: 'Invalid JSON body' })
    }
  })

  it('rejects numbers out of range instead of rounding them', () => {
    expect(parseJsonBody('{"quantity":1e400}')).toMatchObject({
      ok: false,
      message: expect.stringContaining('out of range'),
    })
    expect(parseJsonBody('{"quantity":123456789012345678901}')).toMatchObject({ ok: false })
    expect(parseJsonBody('{"price":245.55}')).toEqual({ ok: true, value: { price: 245.55 } })
  })

  it('rejects duplicate keys, also nested and escaped, but not the same key in sibling objects', () => {
    expect(parseJsonBody('{"a":1,"a":2}')).toMatchObject({
      ok: false,
      message: "Invalid JSON body: duplicate key 'a'",
    })
    expect(findDuplicateKey('{"o":[{"x":1,"y":{"x":2}},{"x":3}]}')).toBeNull()
    expect(findDuplicateKey('{"o":{"k":1,"\\u006b":2}}')).toBe('k')
    expect(findDuplicateKey('{"s":"a\\"b","t":"{\\"x\\":1,\\"x\\":2}"}')).toBeNull()
  })

  it('finds a duplicate through the whole parse, whatever the nesting and spacing', () => {
    for (const [text, key] of [
      ['{"o":{"x":1,"x":2},"p":1}', 'x'],
      ['[{"a":1},{"b":2,"b":3}]', 'b'],
      ['{ "a" : 1 ,\n "a"\t:\r 2 }', 'a'],
      ['{"o":{"k":1,"\\u006b":2}}', 'k'],
      ['{"__proto__":1,"__proto__":2}', '__proto__'],
    ] as const) {
      expect(parseJsonBody(text)).toEqual({
        ok: false,
        message: `Invalid JSON body: duplicate key '${key}'`,
      })
    }
    for (const text of [
      '{"o":[{"x":1,"y":{"x":2}},{"x":3}]}',
      '{"s":"a\\"b","t":"{\\"x\\":1,\\"x\\":2}"}',
      '{"a":"b:c","d":"\\":","__proto__":{"a":1}}',
    ]) {
      expect(parseJsonBody(text).ok, text).toBe(true)
    }
  })

  it('counts as keys exactly the strings followed by a colon', () => {
    expect(keyTokens('{"a":"b:c","d" :"\\":","e":["f",{"g":1}]}')).toBe(4)
    expect(keyTokens('["a","b"]')).toBe(0)
    expect(keyTokens('"x"')).toBe(0)
  })
})

describe('parseJsonBody on deep input', () => {
  it('checks numbers at any depth without exhausting the stack', () => {
    const depth = 30_000 // deeper than a recursive walk survives (~10k frames)
    expect(parseJsonBody(`${'['.repeat(depth)}1${']'.repeat(depth)}`).ok).toBe(true)
    expect(parseJsonBody(`${'['.repeat(depth)}1e400${']'.repeat(depth)}`)).toEqual({
      ok: false,
      message: 'Invalid JSON body: a number is out of range',
    })
  })
})
