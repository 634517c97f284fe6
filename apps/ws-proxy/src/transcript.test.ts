import { readFileSync } from 'node:fs'
import { decodeAngelPacket } from '@oa/broker-angel'
import type { Tick } from '@oa/broker-sdk'
import { createManualClock } from '@oa/broker-sdk/testing'
import { describe, expect, it } from 'vitest'
import {
  connect,
  createScriptedBroker,
  createStaticIdentity,
  startTestProxy,
  type Frame,
} from './test-helpers/harness.js'

interface Step {
  dir: 'C→S' | 'S→C'
  frame: Frame
}

const transcript: Step[] = readFileSync(
  new URL('../fixtures/conformance-transcript.txt', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((line) => ({
    dir: line.slice(0, 3) as Step['dir'],
    frame: JSON.parse(line.slice(4)) as Frame,
  }))

/** An Angel smart-stream LTP packet (51 bytes, little-endian; streaming.md §3.2). */
function angelLtpPacket(token: string, ltpPaise: number, exchangeTsMs: number): Buffer {
  const b = Buffer.alloc(51)
  b.writeUInt8(1, 0)
  b.writeUInt8(1, 1)
  b.write(token, 2, 'latin1')
  b.writeBigInt64LE(10_100_761n, 27)
  b.writeBigInt64LE(BigInt(exchangeTsMs), 35)
  b.writeBigInt64LE(BigInt(ltpPaise), 43)
  return b
}

/** oa's additive fields (streaming.md §4.2) are removed before comparing. */
function withoutAdditive(actual: Frame, expected: Frame): Frame {
  const out: Frame = { ...actual }
  delete out['seq']
  if (!('type' in expected) && out['type'] === 'error') delete out['type']
  return out
}

describe('conformance transcript (streaming.md §1.11)', () => {
  it('replays frame for frame against the proxy over a real socket', async () => {
    const clock = createManualClock(1_712_640_600_000)
    const angel = createScriptedBroker('angel')
    const identity = createStaticIdentity()
    const key = 'a'.repeat(64)
    identity.issue('admin', key, {
      broker: 'angel',
      session: { authToken: 'jwt', feedToken: 'feed' },
    })
    const proxy = await startTestProxy({ identity, brokers: [angel], clock })
    const client = await connect(proxy.url)

    let compared = 0
    for (const step of transcript) {
      if (step.dir === 'C→S') {
        const sent = JSON.stringify(step.frame).replace('"<valid>"', JSON.stringify(key))
        client.sendRaw(sent)
        continue
      }
      if (step.frame['type'] === 'market_data') {
        // the broker sends SBIN's LTP (Angel token 3045) 451 ms after the exchange stamped it
        clock.advance(451)
        const packet = decodeAngelPacket(angelLtpPacket('3045', 76_550, 1_712_640_600_000))
        const data = packet!.data!
        const tick: Tick = {
          symbol: 'SBIN',
          exchange: 'NSE',
          receivedTs: clock.now(),
          exchangeTs: null,
          lastQty: null,
          avgPrice: null,
          volume: null,
          open: null,
          high: null,
          low: null,
          prevClose: null,
          totalBuyQty: null,
          totalSellQty: null,
          oi: null,
          change: null,
          changePct: null,
          ...data,
        }
        angel.adapters[0]!.emit(tick)
      }
      if (step.frame['type'] === 'pong') clock.advance(1_712_640_601_000 - clock.now())
      const actual = await client.next()
      const stripped = withoutAdditive(actual, step.frame)
      expect(stripped).toEqual(step.frame)
      expect(Object.keys(stripped)).toEqual(Object.keys(step.frame))
      expect(typeof actual['seq']).toBe('number')
      compared++
    }
    expect(compared).toBe(6)
    // nothing else was sent
    await new Promise((r) => setTimeout(r, 50))
    expect(client.frames).toHaveLength(6)
    // the broker was subscribed once at LTP and, the last client gone, unsubscribed once
    expect(angel.adapters[0]!.calls).toEqual([
      { op: 'subscribe', refs: ['NSE:SBIN'], mode: 1, depth: 5 },
      { op: 'unsubscribe', refs: ['NSE:SBIN'] },
    ])
  })
})
