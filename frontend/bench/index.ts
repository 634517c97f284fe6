/**
 * The web app's budgets, measured in chromium against a real `oa start`, each next to a baseline
 * from the same run (spec: issue 10; STYLE.md §11):
 *
 * 1. first load of /dashboard: gzip bytes of the JS it actually loads (< 300 kB), against React +
 *    ReactDOM's own production files gzipped;
 * 2. time to the dashboard's data rendered on loopback (< 1.5 s), median of 9 loads, against a
 *    blank Vite page's time to render, served over loopback in the same run;
 * 3. push → DOM: an order placed through /api/v1 shown in the open order book (< 500 ms),
 *    against the placeorder round trip; until /api/v1/placeorder lands, the same push path
 *    measured with the analyzer switch (POST → banner in another tab) is reported instead, named so.
 *
 * Run: `pnpm --filter @oa/frontend bench` (after `pnpm build`).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, extname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { report, type BenchResult } from '@oa/bench-kit'
import type { APIRequestContext, Page } from 'playwright-core'
import { build } from 'vite'
import { launchChromium, repoRoot, startOa } from '../e2e/harness.js'

const ADMIN = { username: 'bench', email: 'bench@example.com', password: 'Str0ng!Pass#1' }
const LOADS = 9
const dist = join(repoRoot, 'frontend', 'dist')
const gz = (bytes: Buffer | string) => gzipSync(bytes, { level: 9 }).length
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? NaN
}
const round1 = (n: number) => Math.round(n * 10) / 10

async function csrf(req: APIRequestContext): Promise<string> {
  return ((await (await req.get('/auth/csrf-token')).json()) as { csrf_token: string }).csrf_token
}

async function signIn(req: APIRequestContext): Promise<void> {
  const post = async (path: string, data: unknown) => {
    const res = await req.post(path, { data, headers: { 'x-csrftoken': await csrf(req) } })
    if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`)
  }
  await post('/setup', ADMIN)
  await post('/auth/login', { username: ADMIN.username, password: ADMIN.password })
  const cb = await req.get('/simulator/callback', { headers: { accept: 'application/json' } })
  if (!cb.ok()) throw new Error(`broker login: ${cb.status()}`)
}

/** Dashboard rendered with its data: the heading and the funds section settled (data or error). */
async function dashboardReady(page: Page): Promise<number> {
  await page.getByRole('heading', { level: 1, name: 'Trading Dashboard' }).waitFor()
  await page
    .locator('[data-testid="funds"]')
    .getByRole('status')
    .waitFor({ state: 'detached', timeout: 10_000 })
  await page.locator('[data-testid="funds"] > *').first().waitFor()
  return page.evaluate(() => performance.now())
}

/** A blank Vite page built and served on loopback, for the load-time baseline. */
async function blankVitePage(): Promise<{ url: string; close(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'oa-blank-vite-'))
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html><head><meta charset="UTF-8"><title>blank</title></head><body><div id="root"></div><script type="module" src="/main.js"></script></body></html>',
  )
  writeFileSync(join(root, 'main.js'), "document.getElementById('root').textContent = 'ready'\n")
  await build({
    root,
    logLevel: 'silent',
    configFile: false,
    build: { outDir: join(root, 'dist'), modulePreload: { polyfill: false } },
  })
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' }
  const server = createServer((req, res) => {
    const path = req.url === '/' ? '/index.html' : (req.url ?? '/')
    try {
      const body = readFileSync(join(root, 'dist', path))
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' })
      res.end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((r) =>
        server.close(() => {
          rmSync(root, { recursive: true, force: true })
          r()
        }),
      ),
  }
}

const results: BenchResult[] = []
const oa = await startOa()
const chrome = await launchChromium()
const blank = await blankVitePage()
try {
  const context = await chrome.browser.newContext({
    baseURL: oa.url,
    viewport: { width: 1280, height: 860 },
  })
  await signIn(context.request)

  // ── 1. JS the dashboard's first load fetches, gzip ──
  const page = await context.newPage()
  const scripts = new Set<string>()
  page.on('response', (r) => {
    const url = new URL(r.url())
    if (url.pathname.startsWith('/assets/') && url.pathname.endsWith('.js'))
      scripts.add(url.pathname)
  })
  await page.goto('/dashboard')
  await dashboardReady(page)
  const appGzip = [...scripts].reduce((n, p) => n + gz(readFileSync(join(dist, p))), 0)
  const require = createRequire(join(repoRoot, 'frontend', 'package.json'))
  const reactDir = dirname(require.resolve('react/package.json'))
  const reactDomDir = dirname(require.resolve('react-dom/package.json'))
  const reactGzip =
    gz(readFileSync(join(reactDir, 'cjs/react.production.js'))) +
    gz(readFileSync(join(reactDomDir, 'cjs/react-dom.production.js'))) +
    gz(readFileSync(join(reactDomDir, 'cjs/react-dom-client.production.js')))
  results.push({
    name: `dashboard first load: gzip JS of ${scripts.size} files, kB (budget 300; lower is better)`,
    value: round1(appGzip / 1000),
    unit: 'kB',
    baseline: round1(reactGzip / 1000),
    ratio: round1((appGzip / reactGzip) * 100) / 100,
  })

  // ── 2. time to the dashboard's data rendered vs a blank Vite page (interleaved) ──
  const appTimes: number[] = []
  const blankTimes: number[] = []
  const blankPage = await chrome.browser.newPage()
  for (let i = 0; i < LOADS; i++) {
    const fresh = await context.newPage() // a new tab: no in-memory cache, HTTP cache as a revisit
    await fresh.goto('/dashboard')
    appTimes.push(await dashboardReady(fresh))
    await fresh.close()
    await blankPage.goto(blank.url)
    await blankPage.getByText('ready').waitFor()
    blankTimes.push(await blankPage.evaluate(() => performance.now()))
  }
  const cold = await chrome.browser.newContext({
    baseURL: oa.url,
    viewport: { width: 1280, height: 860 },
  })
  await cold.addCookies(await context.cookies())
  const coldPage = await cold.newPage()
  await coldPage.goto('/dashboard')
  const coldMs = await dashboardReady(coldPage)
  await cold.close()
  results.push({
    name: `dashboard data rendered, ms, median of ${LOADS} loads (budget 1500; lower is better)`,
    value: round1(median(appTimes)),
    unit: 'ms',
    baseline: round1(median(blankTimes)),
    ratio: round1(median(appTimes) / median(blankTimes)),
  })
  results.push({
    name: 'dashboard data rendered, ms, empty browser cache (budget 1500; lower is better)',
    value: round1(coldMs),
    unit: 'ms',
    baseline: round1(median(blankTimes)),
    ratio: round1(coldMs / median(blankTimes)),
  })

  // ── 3. push → DOM ──
  const watcher = await context.newPage()
  const token = await csrf(context.request)
  const probe = await fetch(`${oa.url}/api/v1/placeorder`, {
    method: 'POST',
    body: '{}',
    headers: { 'content-type': 'application/json' },
  })
  if (probe.status !== 404) {
    const keyRes = await context.request.post('/apikey/reveal', {
      data: { password: ADMIN.password },
      headers: { 'x-csrftoken': token },
    })
    const apiKey = ((await keyRes.json()) as { api_key: string }).api_key
    await watcher.goto('/orderbook')
    await watcher.getByRole('heading', { level: 1, name: 'Order Book' }).waitFor()
    const lat: number[] = []
    const rtt: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now()
      const res = await fetch(`${oa.url}/api/v1/placeorder`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apikey: apiKey,
          strategy: 'bench',
          symbol: 'SBIN',
          exchange: 'NSE',
          action: 'BUY',
          product: 'CNC',
          pricetype: 'MARKET',
          quantity: '1',
        }),
      })
      rtt.push(Date.now() - t0)
      const { orderid } = (await res.json()) as { orderid: string }
      await watcher.getByRole('cell', { name: orderid, exact: true }).waitFor({ timeout: 5_000 })
      lat.push(Date.now() - t0)
    }
    results.push({
      name: 'order via /api/v1 → shown in the open order book, ms, median of 5 (budget 500)',
      value: median(lat),
      unit: 'ms',
      baseline: median(rtt),
      ratio: round1(median(lat) / median(rtt)),
    })
  } else {
    await watcher.goto('/dashboard')
    await watcher.getByRole('heading', { level: 1, name: 'Trading Dashboard' }).waitFor()
    const lat: number[] = []
    const rtt: number[] = []
    for (let i = 0; i < 6; i++) {
      const mode = i % 2 === 0 ? 'analyze' : 'live'
      const t0 = Date.now()
      await context.request.post('/ui/api/analyzer', {
        data: { mode },
        headers: { 'x-csrftoken': token },
      })
      rtt.push(Date.now() - t0)
      const banner = watcher.getByText('Analyzer mode is on')
      await (mode === 'analyze' ? banner.waitFor() : banner.waitFor({ state: 'detached' }))
      lat.push(Date.now() - t0)
    }
    results.push({
      name: 'push → DOM via /ui/api/events (analyzer switch; /api/v1/placeorder not landed), ms, median of 6 (budget 500)',
      value: median(lat),
      unit: 'ms',
      baseline: median(rtt),
      ratio: round1(median(lat) / median(rtt)),
    })
  }
  await context.close()
} finally {
  await blank.close()
  await chrome.close()
  await oa.stop()
}
mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true })
await report('frontend', results)
