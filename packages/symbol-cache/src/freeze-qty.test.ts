import { describe, expect, it } from 'vitest'
import { createFreezeQtyTable, freezeRootOf } from './freeze-qty.js'

describe('freeze quantities', () => {
  const table = createFreezeQtyTable({
    'NFO:NIFTY': 1800,
    'NFO:NIFTYNXT50': 600,
    'NFO:BANKNIFTY': 900,
    'BFO:SENSEX50': 1200,
    'BFO:SENSEX': 1000,
    'NFO:M&M': 4900,
    'NFO:BAJAJ-AUTO': 1500,
    'MCX:CRUDEOIL': 10000,
  })

  it('files index contracts under the longest matching index root', () => {
    expect(table.forContract('NIFTY24APR2524000CE', 'NFO')).toBe(1800)
    expect(table.forContract('NIFTYNXT5024APR2566000CE', 'NFO')).toBe(600)
    expect(table.forContract('BANKNIFTY24APR25FUT', 'NFO')).toBe(900)
    expect(table.forContract('SENSEX5029APR2524500PE', 'BFO')).toBe(1200)
    expect(table.forContract('SENSEX29APR2577000PE', 'BFO')).toBe(1000)
  })

  it('files stock and commodity contracts under their leading letters, & and -', () => {
    expect(table.forContract('M&M24APR253000CE', 'NFO')).toBe(4900)
    expect(table.forContract('BAJAJ-AUTO24APR259000PE', 'NFO')).toBe(1500)
    expect(table.forContract('CRUDEOIL19MAY255400CE', 'MCX')).toBe(10000)
  })

  it('answers 1 when nothing is configured for that exchange and root', () => {
    expect(table.forContract('NIFTY24APR2524000CE', 'BFO')).toBe(1)
    expect(table.forContract('VEDL24APR25292.5CE', 'NFO')).toBe(1)
    expect(table.forContract('1INCH28FEB25FUT', 'CRYPTO')).toBe(1)
    expect(table.get('NIFTY', 'NFO')).toBe(1800)
    expect(table.get('UNKNOWN', 'NFO')).toBe(1)
  })

  it('finds roots the way the original does', () => {
    expect(freezeRootOf('niftynxt5024apr2566000ce')).toBe('NIFTYNXT50')
    expect(freezeRootOf('VEDL24APR25292.5CE')).toBe('VEDL')
    expect(freezeRootOf('1INCH28FEB25FUT')).toBeUndefined()
  })

  it('accepts entries and rejects quantities that are not positive integers', () => {
    const t = createFreezeQtyTable([{ exchange: 'NFO', symbol: 'NIFTY', freezeQty: 1800 }])
    expect(t.size).toBe(1)
    expect(() => createFreezeQtyTable({ 'NFO:NIFTY': 0 })).toThrow(/positive integer/)
    expect(() => createFreezeQtyTable({ 'NFO:NIFTY': 1.5 })).toThrow(/positive integer/)
  })
})
