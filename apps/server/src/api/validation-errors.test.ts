import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { pythonRepr, toErrorDict } from './validation-errors.js'
import { apikeyField, EXCHANGES, float, int, list, nested, oneOf, str } from './wire.js'

const schema = z.object({
  apikey: apikeyField(),
  exchange: oneOf(EXCHANGES),
  quantity: float(),
  legs: list(nested({ symbol: str(), qty: int() })).optional(),
})

function errors(input: unknown) {
  const r = schema.safeParse(input)
  if (r.success) throw new Error('expected failure')
  return toErrorDict(r.error.issues)
}

describe('marshmallow-style validation errors', () => {
  it('reports missing, null and wrong-typed fields with marshmallow texts', () => {
    expect(errors({ exchange: null, quantity: 'abc' })).toEqual({
      apikey: ['Missing data for required field.'],
      exchange: ['Field may not be null.'],
      quantity: ['Not a valid number.'],
    })
  })

  it('lists enum choices in schema order', () => {
    const e = errors({ apikey: 'k', exchange: 'nse', quantity: 1 })
    expect(e['exchange']).toEqual([
      'Must be one of: NSE, NFO, CDS, BSE, BFO, BCD, MCX, NCDEX, NCO, NSE_INDEX, BSE_INDEX, MCX_INDEX, GLOBAL_INDEX, CRYPTO.',
    ])
  })

  it('keys nested list errors by index and renders Python repr with bare int keys', () => {
    const e = errors({
      apikey: 'k',
      exchange: 'NSE',
      quantity: '1',
      legs: [{ symbol: 'A', qty: '1' }, { qty: '1.5' }],
    })
    expect(e).toEqual({
      legs: {
        '1': { symbol: ['Missing data for required field.'], qty: ['Not a valid integer.'] },
      },
    })
    expect(pythonRepr(e)).toBe(
      "{'legs': {1: {'symbol': ['Missing data for required field.'], 'qty': ['Not a valid integer.']}}}",
    )
  })

  it('accepts numeric strings the SDK sends, rejects blanks and special values', () => {
    expect(schema.safeParse({ apikey: 'k', exchange: 'NSE', quantity: ' 10 ' }).success).toBe(true)
    expect(errors({ apikey: 'k', exchange: 'NSE', quantity: '' })['quantity']).toEqual([
      'Not a valid number.',
    ])
    expect(errors({ apikey: 'k', exchange: 'NSE', quantity: 'Infinity' })['quantity']).toEqual([
      'Not a valid number.',
    ])
    expect(errors({ apikey: 'k', exchange: 'NSE', quantity: true })['quantity']).toEqual([
      'Not a valid number.',
    ])
  })

  it('uses double quotes in repr when a message holds a single quote', () => {
    expect(pythonRepr({ a: ["it's"] })).toBe(`{'a': ["it's"]}`)
  })

  it('reports a non-object body under _schema', () => {
    const r = schema.safeParse([1])
    expect(r.success).toBe(false)
    if (!r.success) expect(Object.keys(toErrorDict(r.error.issues))).toEqual(['_schema'])
  })

  it('rejects an apikey longer than 256 characters', () => {
    expect(errors({ apikey: 'k'.repeat(257), exchange: 'NSE', quantity: 1 })['apikey']).toEqual([
      'Length must be between 1 and 256.',
    ])
  })
})
