// Crash safety of placeorder in analyzer mode (issue 7): an order acknowledged with 200 is in
// sandbox.db before the answer. A burst of 2,000 concurrent placeorders against the real server
// (spawned from sources), SIGKILL mid-burst, restart, then: every acknowledged order exists, no
// request made two orders (an idempotency key has exactly one order, also after retries across
// the crash), and the funds identity holds.
import { join } from 'node:path'
import { openSqlite } from '@oa/db'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli.js'
import { captureStream, spawnOa, tempInstall, waitForStatus, type TempInstall } from '../helpers.js'

const BURST = 2_000
const KILL_AFTER = 600

async function oa(args: string[], install: TempInstall): Promise<string> {
  const out = captureStream()
  const err = captureStream()
  const code = await main(args, { env: install.env, stdout: out.stream, stderr: err.stream })
  if (code !== 0) throw new Error(`oa ${args.join(' ')} failed: ${err.text()}`)
  return out.text()
}

interface Sent {
  readonly i: number
  readonly key: string | null
  status: number | null
  orderId: string | null
}

function request(i: number, key: string | null) {
  return {
    strategy: 'durability',
    symbol: 'SBIN',
    exchange: 'NSE',
    action: 'BUY',
    // far below the market: the order rests, blocking 1 rupee × quantity of CNC margin
    pricetype: 'LIMIT',
    price: '1',
    product: 'CNC',
    quantity: String(1 + (i % 5)),
    ...(key === null ? {} : { idempotency_key: key }),
  }
}

describe('placeorder survives kill -9', () => {
  it('keeps every acknowledged order, places none twice and keeps the funds identity', async () => {
    const install = await tempInstall((text) =>
      text
        .replace(/^ORDER_RATE_LIMIT\s*=.*$/m, "ORDER_RATE_LIMIT = '1000000 per second'")
        .replace(/^API_RATE_LIMIT\s*=.*$/m, "API_RATE_LIMIT = '1000000 per second'"),
    )
    const env = { ...install.env, OA_WS_PROXY: 'off' }
    await oa(
      ['setup', '--username', 'admin', '--email', 'a@example.com', '--password', 'Str0ng!Pass'],
      install,
    )
    const apikey =
      (await oa(['apikey', '--username', 'admin'], install)).trim().split('\n').pop() ?? ''
    await oa(['analyzer', 'on'], install)
    const base = `http://127.0.0.1:${install.httpPort}`
    const post = (path: string, body: object) =>
      fetch(`${base}/api/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apikey, ...body }),
      })

    // 1. the burst, killed mid-way
    const first = spawnOa(['start'], env)
    await waitForStatus(`${base}/health`, 200, 60_000)
    const sent: Sent[] = Array.from({ length: BURST }, (_, i) => ({
      i,
      key: i % 2 === 0 ? `burst-${i}` : null,
      status: null,
      orderId: null,
    }))
    let answered = 0
    let killed = false
    const kill = (): void => {
      if (killed) return
      killed = true
      first.child.kill('SIGKILL')
    }
    await Promise.all(
      sent.map(async (s) => {
        try {
          const res = await post('/placeorder', request(s.i, s.key))
          const body = (await res.json()) as { orderid?: string }
          s.status = res.status
          s.orderId = body.orderid ?? null
        } catch {
          // the connection died with the server: no answer
        }
        if (++answered >= KILL_AFTER) kill()
      }),
    )
    kill()
    const exit = await first.exited
    expect(exit.signal).toBe('SIGKILL')
    const acked = sent.filter((s) => s.status === 200)
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER / 2)
    expect(acked.length).toBeLessThan(BURST) // it really died mid-burst
    expect(acked.every((s) => typeof s.orderId === 'string')).toBe(true)

    // 2. restart and look
    const second = spawnOa(['start'], env)
    await waitForStatus(`${base}/health`, 200, 60_000)
    try {
      // every acknowledged order exists
      const db = openSqlite(join(install.dataDir, 'sandbox.db'), { readonly: true })
      try {
        const ids = new Set(
          (
            db.prepare("SELECT order_id FROM sandbox_orders WHERE user_id = 'admin'").all() as {
              order_id: string
            }[]
          ).map((r) => r.order_id),
        )
        for (const s of acked) expect(ids.has(s.orderId ?? '')).toBe(true)
        // no request made two orders: at most one order per request sent
        expect(ids.size).toBeLessThanOrEqual(BURST)
      } finally {
        db.close()
      }

      // retried keyed requests return the first order, and every key has exactly one order
      const retried = await Promise.all(
        sent
          .filter((s) => s.key !== null)
          .map(async (s) => {
            const res = await post('/placeorder', request(s.i, s.key))
            return { s, body: (await res.json()) as { orderid?: string }, status: res.status }
          }),
      )
      for (const { s, body, status } of retried) {
        expect(status).toBe(200)
        if (s.status === 200) expect(body.orderid).toBe(s.orderId)
      }
      const check = openSqlite(join(install.dataDir, 'sandbox.db'), { readonly: true })
      try {
        const perKey = check
          .prepare(
            "SELECT idempotency_key AS k, COUNT(*) AS n FROM sandbox_orders WHERE user_id = 'admin' AND idempotency_key IS NOT NULL GROUP BY idempotency_key",
          )
          .all() as { k: string; n: number }[]
        expect(perKey).toHaveLength(BURST / 2)
        expect(perKey.every((r) => r.n === 1)).toBe(true)

        // the funds identity: cash + margin in use + holdings − realized = capital + deposits,
        // and the margin in use is exactly what the resting orders and positions hold
        const f = check
          .prepare("SELECT * FROM sandbox_funds WHERE user_id = 'admin'")
          .get() as Record<string, number>
        expect(
          (f['available_e4'] ?? 0) +
            (f['utilised_e4'] ?? 0) +
            (f['holdings_cost_e4'] ?? 0) -
            (f['realized_pnl_e4'] ?? 0),
        ).toBe((f['starting_capital_e4'] ?? 0) + (f['deposits_e4'] ?? 0))
        const reserved = check
          .prepare(
            "SELECT COALESCE(SUM(reserved_margin_e4), 0) AS s FROM sandbox_orders WHERE user_id = 'admin' AND status IN ('open', 'trigger_pending')",
          )
          .get() as { s: number }
        const positions = check
          .prepare(
            "SELECT COALESCE(SUM(margin_e4), 0) AS s FROM sandbox_positions WHERE user_id = 'admin'",
          )
          .get() as { s: number }
        expect(f['utilised_e4']).toBe(reserved.s + positions.s)
      } finally {
        check.close()
      }
      const funds = await post('/funds', {})
      expect(funds.status).toBe(200)
    } finally {
      second.child.kill('SIGTERM')
      expect((await second.exited).code).toBe(0)
    }
  }, 240_000)
})
