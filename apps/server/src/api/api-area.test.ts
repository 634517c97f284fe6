import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import {
  ADMIN,
  apiPost,
  createHarness,
  loggedInBrowser,
  setupAdmin,
} from '../identity/test-helpers/harness.js'
import type { Hono } from 'hono'

async function withKey(): Promise<{
  app: Hono
  key: string
  h: Awaited<ReturnType<typeof createHarness>>
}> {
  const h = await createHarness()
  await setupAdmin(h.app)
  const b = await loggedInBrowser(h.app, { broker: true })
  const res = await b.post('/apikey/rotate', { password: ADMIN.password })
  const key = ((await res.json()) as { api_key: string }).api_key
  return { app: h.app, key, h }
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>
}

describe('the /api/v1 envelope for unknown routes and wrong methods', () => {
  it('answers a wrong method on a known path with 405 in the envelope, and an unknown path with 404', async () => {
    const { app } = await withKey()
    const wrong = await app.request('/api/v1/market/holidays')
    expect(wrong.status).toBe(405)
    expect(await json(wrong)).toEqual({
      status: 'error',
      message: 'The method is not allowed for the requested URL.',
    })
    expect(wrong.headers.get('allow')).toContain('POST')
    const unknown = await app.request('/api/v1/nosuchthing')
    expect(unknown.status).toBe(404)
    expect(await json(unknown)).toEqual({
      status: 'error',
      message: 'Not found',
      path: '/api/v1/nosuchthing',
    })
  })
})

describe('the OpenAPI document and docs page', () => {
  it('serves an OpenAPI 3.1 document that validates and lists every mounted endpoint', async () => {
    const { app } = await withKey()
    const res = await app.request('/api/openapi.json')
    expect(res.status).toBe(200)
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> }
    expect(doc.openapi).toBe('3.1.0')
    const validator = new Validator()
    const result = await validator.validate(doc as unknown as Parameters<Validator['validate']>[0])
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    for (const path of ['/api/v1/ping', '/api/v1/market/holidays', '/api/v1/chart'])
      expect(Object.keys(doc.paths)).toContain(path)
    const holidays = doc.paths['/api/v1/market/holidays'] as {
      post: { requestBody: { content: { 'application/json': { schema: unknown } } } }
    }
    expect(JSON.stringify(holidays.post.requestBody.content['application/json'].schema)).toContain(
      '"oneOf"',
    )
  })

  it('serves the docs page and Swagger UI from our own origin, with no inline script', async () => {
    const { app } = await withKey()
    const page = await app.request('/api/docs')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('/api/docs/swagger-ui-bundle.js')
    expect(html).not.toMatch(/https?:\/\//)
    expect(html).not.toMatch(/<script>[^<]/)
    const bundle = await app.request('/api/docs/swagger-ui-bundle.js')
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('content-type')).toContain('javascript')
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000)
    expect((await app.request('/api/docs/init.js')).status).toBe(200)
  })
})

describe('market calendar', () => {
  it('lists the 2026 holidays with the closed exchanges and MCX evening windows', async () => {
    const { app, key } = await withKey()
    const res = await apiPost(app, '/api/v1/market/holidays', { apikey: key, year: '2026' })
    expect(res.status).toBe(200)
    const body = (await json(res)) as {
      year: number
      timezone: string
      data: {
        date: string
        description: string
        closed_exchanges: string[]
        open_exchanges: { exchange: string; start_time: number }[]
      }[]
    }
    expect(body.year).toBe(2026)
    expect(body.timezone).toBe('Asia/Kolkata')
    const holi = body.data.find((d) => d.date === '2026-03-03')
    expect(holi?.description).toBe('Holi')
    expect(holi?.closed_exchanges).toContain('NSE')
    expect(holi?.open_exchanges[0]).toEqual({
      exchange: 'MCX',
      start_time: 1772537400000,
      end_time: 1772562300000,
    })
  })

  it('defaults to the current IST year and rejects years outside 2020..2050 naming the field', async () => {
    const { app, key } = await withKey()
    const res = await apiPost(app, '/api/v1/market/holidays', { apikey: key })
    expect(((await json(res)) as { year: number }).year).toBe(2026)
    const bad = await apiPost(app, '/api/v1/market/holidays', { apikey: key, year: 1999 })
    expect(bad.status).toBe(400)
    expect(await json(bad)).toEqual({
      status: 'error',
      message: { year: ['Must be greater than or equal to 2020 and less than or equal to 2050.'] },
    })
  })

  it('verifies the API key (W-24)', async () => {
    const { app } = await withKey()
    const res = await apiPost(app, '/api/v1/market/holidays', { apikey: 'f'.repeat(64) })
    expect(res.status).toBe(403)
  })

  it('gives a trading day every exchange session in epoch ms, and a Saturday crypto only', async () => {
    const { app, key } = await withKey()
    const res = await apiPost(app, '/api/v1/market/timings', { apikey: key, date: '2026-03-02' })
    const body = (await json(res)) as {
      data: { exchange: string; start_time: number; end_time: number }[]
    }
    const nse = body.data.find((d) => d.exchange === 'NSE')
    expect(nse).toEqual({
      exchange: 'NSE',
      start_time: Date.parse('2026-03-02T09:15:00+05:30'),
      end_time: Date.parse('2026-03-02T15:30:00+05:30'),
    })
    expect(body.data.find((d) => d.exchange === 'NFO')?.end_time).toBe(
      Date.parse('2026-03-02T15:40:00+05:30'),
    )
    const sat = (await json(
      await apiPost(app, '/api/v1/market/timings', { apikey: key, date: '2026-03-07' }),
    )) as { data: { exchange: string }[] }
    expect(sat.data.map((d) => d.exchange)).toEqual(['CRYPTO'])
    const holi = (await json(
      await apiPost(app, '/api/v1/market/timings', { apikey: key, date: '2026-03-03' }),
    )) as { data: { exchange: string }[] }
    expect(holi.data.map((d) => d.exchange)).toEqual(['MCX'])
    const bad = await apiPost(app, '/api/v1/market/timings', { apikey: key, date: '2026-02-30' })
    expect(bad.status).toBe(400)
    expect(await json(bad)).toEqual({
      status: 'error',
      message: 'Invalid date format. Use YYYY-MM-DD',
    })
  })
})

describe('chart preferences', () => {
  it('saves any keys and reads them back per user, with the key in the query string', async () => {
    const { app, key } = await withKey()
    const saved = await apiPost(app, '/api/v1/chart', {
      apikey: key,
      tv_theme: 'dark',
      layout: { a: 1 },
    })
    expect(await json(saved)).toEqual({
      status: 'success',
      message: 'Preferences updated successfully',
    })
    const read = await app.request(`/api/v1/chart?apikey=${key}`)
    expect(await json(read)).toEqual({
      status: 'success',
      data: { layout: '{"a":1}', tv_theme: 'dark' },
    })
    const empty = await apiPost(app, '/api/v1/chart', { apikey: key })
    expect(empty.status).toBe(400)
    expect(((await json(empty)) as { message: string }).message).toBe(
      'No preferences provided to update',
    )
  })
})

describe('GTT and notifications', () => {
  it('validates GTT orders with the original rules, then answers that the simulator has no GTT', async () => {
    const { app, key } = await withKey()
    const base = {
      apikey: key,
      strategy: 'x',
      exchange: 'NSE',
      symbol: 'SBIN',
      action: 'BUY',
      product: 'CNC',
      quantity: '1',
      price: '800',
    }
    const single = await apiPost(app, '/api/v1/placegttorder', {
      ...base,
      trigger_type: 'single',
      triggerprice_tg: '820',
      foo: 1,
    })
    expect(single.status).toBe(400)
    expect(await json(single)).toEqual({
      status: 'error',
      message: "GTT orders are not supported for broker 'simulator' yet",
    })
    const noTrigger = await apiPost(app, '/api/v1/placegttorder', {
      ...base,
      trigger_type: 'SINGLE',
    })
    expect(noTrigger.status).toBe(400)
    expect(((await json(noTrigger)) as { message: string }).message).toBe(
      "{'triggerprice_sl': ['SINGLE GTT requires a positive triggerprice_sl or triggerprice_tg.']}",
    )
    const mis = await apiPost(app, '/api/v1/placegttorder', {
      ...base,
      product: 'MIS',
      trigger_type: 'OCO',
    })
    expect(((await json(mis)) as { message: string }).message).toContain('GTT supports only CNC')
    const oco = await apiPost(app, '/api/v1/placegttorder', {
      ...base,
      trigger_type: 'OCO',
      triggerprice_sl: '780',
      stoploss: '',
      triggerprice_tg: '820',
      target: '821',
    })
    expect(((await json(oco)) as { message: string }).message).toBe(
      "{'stoploss': ['Required for OCO (stoploss leg limit).']}",
    )
  })

  it('answers 401 without a valid key and 409 because no bot is configured', async () => {
    const { app, key } = await withKey()
    const none = await apiPost(app, '/api/v1/telegram/notify', { username: 'a', message: 'b' })
    expect(none.status).toBe(401)
    expect(await json(none)).toEqual({ status: 'error', message: 'Invalid or missing API key' })
    const viaHeader = await apiPost(
      app,
      '/api/v1/telegram/notify',
      { username: 'a', message: 'b' },
      undefined,
      { 'x-api-key': key },
    )
    expect(viaHeader.status).toBe(409)
    const wa = await apiPost(app, `/api/v1/whatsapp/notify?apikey=${key}`, {
      self: true,
      message: 'hi',
    })
    expect(wa.status).toBe(409)
    expect(((await json(wa)) as { message: string }).message).toContain('WhatsApp is not paired')
  })
})
