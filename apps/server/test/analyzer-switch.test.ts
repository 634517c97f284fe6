// operator.md: `oa analyzer on` works while the server runs, and the running server follows at
// once (one epoch poll), without a restart.
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.js'
import { captureStream, spawnOa, tempInstall, waitForStatus } from './helpers.js'

describe('oa analyzer on against a running server', () => {
  it('turns the next placeorder into an analyzer order without a restart', async () => {
    const install = await tempInstall()
    const run = async (args: string[]): Promise<string> => {
      const out = captureStream()
      const err = captureStream()
      const code = await main(args, { env: install.env, stdout: out.stream, stderr: err.stream })
      if (code !== 0) throw new Error(err.text())
      return out.text()
    }
    await run([
      'setup',
      '--username',
      'admin',
      '--email',
      'a@example.com',
      '--password',
      'Str0ng!Pass',
    ])
    const apikey = (await run(['apikey', '--username', 'admin'])).trim().split('\n').pop() ?? ''
    const server = spawnOa(['start'], { ...install.env, OA_WS_PROXY: 'off' })
    const base = `http://127.0.0.1:${install.httpPort}`
    await waitForStatus(`${base}/health`, 200, 60_000)
    const place = async () => {
      const res = await fetch(`${base}/api/v1/placeorder`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apikey,
          strategy: 'switch',
          symbol: 'SBIN',
          exchange: 'NSE',
          action: 'BUY',
          quantity: '1',
          pricetype: 'LIMIT',
          price: '1',
          product: 'CNC',
        }),
      })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    }
    try {
      const live = await place()
      expect(live.status).toBe(200)
      expect(live.body['mode']).toBeUndefined() // the simulator took it as a live order

      expect(await run(['analyzer', 'on'])).toContain('switched to analyze')
      await new Promise((r) => setTimeout(r, 300)) // one epoch poll is 100 ms
      const analyze = await place()
      expect(analyze).toEqual({
        status: 200,
        body: { status: 'success', orderid: expect.stringMatching(/^\d{14}$/), mode: 'analyze' },
      })
    } finally {
      server.child.kill('SIGTERM')
      expect((await server.exited).code).toBe(0)
    }
  }, 120_000)
})
