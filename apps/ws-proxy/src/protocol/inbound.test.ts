import { describe, expect, it } from 'vitest'
import { parseClientMessage } from './inbound.js'
import { normalizeMode } from './modes.js'

const cmd = (message: unknown) => {
  const parsed = parseClientMessage(JSON.stringify(message))
  if (!parsed.ok) throw new Error(parsed.message)
  return parsed.command
}

describe('inbound frames (streaming.md §1.2–1.4)', () => {
  it('accepts every spelling of a mode the reference accepts, and nothing else', () => {
    for (const [v, m] of [
      [1, 1],
      ['ltp', 1],
      [' Quote ', 2],
      ['DEPTH', 3],
      [3, 3],
    ] as const)
      expect(normalizeMode(v)).toEqual({ ok: true, mode: m })
    for (const v of [0, 4, 1.5, true, null, 'full', '']) expect(normalizeMode(v).ok).toBe(false)
  })

  it('defaults a subscribe to Quote and depth 5, and reads the single-symbol form', () => {
    expect(cmd({ action: 'subscribe', symbol: 'SBIN', exchange: 'NSE' })).toEqual({
      action: 'subscribe',
      entries: [{ ok: true, symbol: 'SBIN', exchange: 'NSE' }],
      mode: 2,
      depth: 5,
      requestId: undefined,
    })
  })

  it('takes `type` for `action`, `auth`/`apikey`, `instruments` and `depth_level` as aliases', () => {
    expect(cmd({ type: 'auth', apikey: 'k' })).toEqual({ action: 'authenticate', apiKey: 'k' })
    expect(
      cmd({
        type: 'subscribe',
        instruments: [{ symbol: 'A', exchange: 'NSE' }],
        mode: 3,
        depth_level: 20,
      }),
    ).toMatchObject({ mode: 3, depth: 20, entries: [{ ok: true, symbol: 'A' }] })
    expect(cmd({ action: 'unsubscribe', type: 'unsubscribe_all', request_id: [1] })).toEqual({
      action: 'unsubscribe_all',
      requestId: [1],
    })
  })

  it('reads unsubscribe modes per entry, absent meaning every mode, and the single form’s top-level mode', () => {
    expect(
      cmd({
        action: 'unsubscribe',
        mode: 1,
        symbols: [
          { symbol: 'A', exchange: 'NSE', mode: 'Depth' },
          { symbol: 'B', exchange: 'NSE' },
          { symbol: 'C', exchange: 'NSE', mode: 'bad' },
        ],
      }),
    ).toMatchObject({
      entries: [
        { ok: true, symbol: 'A', mode: 3 },
        { ok: true, symbol: 'B', mode: undefined },
        { ok: false, symbol: 'C' },
      ],
    })
    expect(cmd({ action: 'unsubscribe', symbol: 'A', exchange: 'NSE', mode: 'ltp' })).toMatchObject(
      {
        entries: [{ ok: true, mode: 1 }],
      },
    )
  })

  it('echoes ping fields and request ids verbatim', () => {
    expect(cmd({ action: 'ping', timestamp: 12, _pingId: { n: 1 } })).toEqual({
      action: 'ping',
      timestamp: 12,
      pingId: { n: 1 },
    })
    expect(cmd({ action: 'subscribe_orders', request_id: 'x', after_seq: 4 })).toEqual({
      action: 'subscribe_orders',
      requestId: 'x',
      afterSeq: 4,
    })
  })
})
