import { describe, expect, it } from 'vitest'
import { dayOf } from './calendar.js'
import {
  FUTURE_SYMBOL,
  OPTION_SYMBOL,
  futureBrSymbol,
  futureSymbol,
  optionSymbol,
  parseDerivativeSymbol,
} from './symbols.js'

describe('OpenAlgo derivative symbols', () => {
  it('writes the spec examples', () => {
    expect(futureSymbol('BANKNIFTY', dayOf(2024, 4, 24))).toBe('BANKNIFTY24APR24FUT')
    expect(futureSymbol('CRUDEOILM', dayOf(2024, 5, 20))).toBe('CRUDEOILM20MAY24FUT')
    expect(optionSymbol('NIFTY', dayOf(2024, 3, 28), 20800, 'CE')).toBe('NIFTY28MAR2420800CE')
    expect(optionSymbol('VEDL', dayOf(2024, 4, 25), 292.5, 'CE')).toBe('VEDL25APR24292.5CE')
    expect(optionSymbol('USDINR', dayOf(2024, 4, 19), 82, 'CE')).toBe('USDINR19APR2482CE')
    expect(optionSymbol('USDINR', dayOf(2024, 4, 19), 82.25, 'PE')).toMatch(OPTION_SYMBOL)
    expect(futureSymbol('M&M', dayOf(2025, 4, 29))).toMatch(FUTURE_SYMBOL)
    expect(futureBrSymbol('NIFTY', dayOf(2024, 3, 28))).toBe('NIFTY:2024-03-28:FUT')
  })

  it('reads them back, taking the shortest base that leaves a real date', () => {
    expect(parseDerivativeSymbol('NIFTYNXT5029APR25FUT')).toEqual({
      kind: 'future',
      base: 'NIFTYNXT50',
      expiryDay: dayOf(2025, 4, 29),
    })
    expect(parseDerivativeSymbol('VEDL25APR24292.5CE')).toEqual({
      kind: 'option',
      base: 'VEDL',
      expiryDay: dayOf(2024, 4, 25),
      strike: 292.5,
      optionType: 'CE',
    })
    expect(parseDerivativeSymbol('RELIANCE')).toBeUndefined()
    expect(parseDerivativeSymbol('NIFTY31FEB25FUT')).toBeUndefined()
    expect(parseDerivativeSymbol('NIFTY28MAR240CE')).toBeUndefined()
  })
})
