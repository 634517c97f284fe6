// Order updates on the WebSocket feed (issue 9): with the real `oa start` (server plus its
// supervised ws-proxy child), an analyzer order placed over /api/v1 reaches a client that sent
// `subscribe_orders`, and it was pushed by the server over IPC the moment it was durable, not
// found later by the proxy's poll of `order_events`.
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { main } from '../src/cli.js'
import { captureStream, spawnOa, tempInstall, waitForStatus, type TempInstall } from './helpers.js'

async function oa(args: string[], install: TempInstall): Promise<string> {
  const out = captureStream()
  const err = captureStream()
  const code = await main(args, { env: install.env, stdout: out.stream, stderr: err.stream })
  if (code !== 0) throw new Error(`oa ${args.join(' ')} failed: ${err.text()}`)
  return out.text()
}

/** Frames of one socket, and a way to wait for the first that matches. */
function frames(ws: WebSocket) {
  const seen: Record<string, unknown>[] = []
  const waiters: {
    test: (f: Record<string, unknown>) => boolean
    done: (f: Record<string, unknown>) => void
  }[] = []
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown>
    seen.push(frame)
    for (const w of [...waiters]) {
      if (w.test(frame)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.done(frame)
      }
    }
  })
  return {
    next: (test: (f: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> => {
      const found = seen.find(test)
      if (found) return Promise.resolve(found)
      return new Promise((done) => waiters.push({ test, done }))
    },
  }
}

describe('order updates pushed to the ws-proxy', () => {
  it('delivers an analyzer order to the placing user over the feed, pushed over IPC', async () => {
    const install = await tempInstall()
    await oa(
      ['setup', '--username', 'admin', '--email', 'a@example.com', '--password', 'Str0ng!Pass'],
      install,
    )
    const apikey =
      (await oa(['apikey', '--username', 'admin'], install)).trim().split('\n').pop() ?? ''
    await oa(['analyzer', 'on'], install)
    const base = `http://127.0.0.1:${install.httpPort}`
    spawnOa(['start'], install.env)
    await waitForStatus(`${base}/health`, 200, 60_000)

    const ws = new WebSocket(`ws://127.0.0.1:${install.wsPort}`)
    const inbox = frames(ws)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    ws.send(JSON.stringify({ action: 'authenticate', api_key: apikey }))
    expect(await inbox.next((f) => f['type'] === 'auth')).toMatchObject({ status: 'success' })
    ws.send(JSON.stringify({ action: 'subscribe_orders' }))
    await inbox.next((f) => f['type'] === 'subscribe_orders' || f['action'] === 'subscribe_orders')

    const res = await fetch(`${base}/api/v1/placeorder`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apikey,
        strategy: 'push',
        symbol: 'SBIN',
        exchange: 'NSE',
        action: 'BUY',
        pricetype: 'LIMIT',
        price: '1',
        product: 'CNC',
        quantity: '3',
      }),
    })
    const placed = (await res.json()) as { status: string; orderid: string }
    expect(placed.status).toBe('success')

    const update = await inbox.next(
      (f) => f['type'] === 'order_update' && JSON.stringify(f).includes(placed.orderid),
    )
    expect(update).toMatchObject({ type: 'order_update' })
    expect(JSON.stringify(update)).toContain('SBIN')
    ws.close()

    const metrics = (await (await fetch(`http://127.0.0.1:${install.wsPort}/metrics`)).json()) as {
      orderEventsPushed: number
    }
    expect(metrics.orderEventsPushed).toBeGreaterThanOrEqual(1)
  }, 90_000)
})
