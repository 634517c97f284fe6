/**
 * Malformed input across every mounted `/api/v1` endpoint (fast-check): wrong types, missing and
 * extra fields, huge strings, deep nesting, unicode, numbers at the edges, wrong content types,
 * duplicate keys, broken JSON, wrong methods. Through the real app in-process: no response may
 * be a 5xx, none may take longer than the per-request timeout, and the heap must stay flat.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { afterAll, expect, it } from 'vitest'
import { mountedEndpoints } from '../../src/api/endpoint.js'
import { buildOpenApiDocument } from '../../src/api/openapi.js'
import { startContractServer } from './harness.js'

const RUNS = Number(process.env['OA_FUZZ_RUNS'] ?? 10_000)
const TIMEOUT_MS = 5_000

const server = await startContractServer()
afterAll(() => server.stop())

interface Target {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly fields: readonly string[]
}

const doc = buildOpenApiDocument(
  { title: 'fuzz', version: '0', description: '', serverUrl: '/' },
  mountedEndpoints(server.app),
  {},
) as {
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string }[] }>>
}

const targets: Target[] = []
for (const [path, ops] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(ops)) {
    const schema = (
      op.requestBody as { content?: { 'application/json'?: { schema?: { properties?: object } } } }
    )?.content?.['application/json']?.schema
    const fields =
      method === 'get'
        ? (op.parameters ?? []).map((p) => p.name)
        : Object.keys(schema?.properties ?? {})
    targets.push({
      method: method.toUpperCase() as 'GET' | 'POST',
      path: path.replace('{symbol}', 'NSE:SBIN'),
      fields,
    })
  }
}
targets.push({ method: 'POST', path: '/api/v1/does-not-exist', fields: [] })

const edgeNumberText = fc.constantFrom(
  '1e400',
  '-1e400',
  '9007199254740993',
  '-9007199254740993',
  '1e-400',
  '-0',
  '0.0000000000000000000001',
  '123456789012345678901234567890',
  '1.7976931348623157e308',
)
const edgeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    -0,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    1e-300,
    null,
    true,
    false,
    '',
    ' ',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '0x10',
    '1_000',
    'nan',
    'None',
    'null',
    'True',
    '   12   ',
    '१२३',
    'ＳＢＩＮ',
    'SBIN\u0000',
    'RELIANCE\u202e',
    '😀📈',
    '\ud800',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '../../etc/passwd',
    [],
    {},
    [[[]]],
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.double(),
  fc.integer(),
  fc.string({ minLength: 10_000, maxLength: 70_000 }).map((s) => s.padEnd(10_000, 'x')),
  fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
)

type Case = {
  target: Target
  method: string
  contentType: string | null
  body: string | undefined
  query: string
}

const jsonText = (v: unknown): string => JSON.stringify(v) ?? 'null'
const asText = (v: unknown): string => (typeof v === 'string' ? v : jsonText(v))

function objectText(
  target: Target,
  key: string,
  values: unknown[],
  extra: [string, unknown][],
): string {
  const entries: [string, unknown][] = target.fields.map((f, i) => [
    f,
    f === 'apikey' ? key : values[i % Math.max(1, values.length)],
  ])
  return `{${[...entries, ...extra].map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    target: fc.constantFrom(...targets),
    kind: fc.constantFrom(
      'fields',
      'fields',
      'fields',
      'dropField',
      'edgeNumber',
      'duplicateKey',
      'deepNesting',
      'arrayBody',
      'scalarBody',
      'brokenJson',
      'wrongContentType',
      'noContentType',
      'emptyBody',
      'wrongMethod',
      'hugeBody',
      'randomJson',
    ),
    key: fc.constantFrom(server.apiKey, server.apiKey, 'x', '', 'a'.repeat(300)),
    values: fc.array(edgeValue, { minLength: 1, maxLength: 6 }),
    extra: fc.array(fc.tuple(fc.string({ maxLength: 12 }), edgeValue), { maxLength: 3 }),
    number: edgeNumberText,
    depth: fc.integer({ min: 50, max: 5_000 }),
    random: fc.jsonValue({ maxDepth: 4 }),
    drop: fc.nat(),
  })
  .map(({ target, kind, key, values, extra, number, depth, random, drop }): Case => {
    let body: string | undefined = objectText(target, key, values, extra)
    let contentType: string | null = 'application/json'
    let method: string = target.method
    switch (kind) {
      case 'dropField': {
        const fields = target.fields.filter(
          (_f, i) => i !== drop % Math.max(1, target.fields.length),
        )
        body = objectText({ ...target, fields }, key, values, [])
        break
      }
      case 'edgeNumber':
        body = `{"apikey":${JSON.stringify(key)},${target.fields.map((f) => `${JSON.stringify(f)}:${number}`).join(',') || '"x":1'}}`
        break
      case 'duplicateKey':
        body = `{"apikey":${JSON.stringify(key)},"apikey":${JSON.stringify(key)},"symbol":"A","symbol":"B"}`
        break
      case 'deepNesting':
        body = `{"apikey":${JSON.stringify(key)},"orders":${'['.repeat(depth)}${']'.repeat(depth)}}`
        break
      case 'arrayBody':
        body = `[${body}]`
        break
      case 'scalarBody':
        body = jsonText(values[0])
        break
      case 'brokenJson':
        body = body.slice(0, Math.max(1, body.length - 1 - (drop % 5)))
        break
      case 'wrongContentType':
        contentType =
          [
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/jsonx',
          ][drop % 4] ?? 'text/plain'
        break
      case 'noContentType':
        contentType = null
        break
      case 'emptyBody':
        body = ''
        break
      case 'wrongMethod':
        method = ['GET', 'PUT', 'DELETE', 'PATCH', 'POST'][drop % 5] ?? 'PUT'
        break
      case 'hugeBody':
        body = `{"apikey":${JSON.stringify(key)},"symbol":"${'A'.repeat(300_000)}"}`
        break
      case 'randomJson':
        body = jsonText(random)
        break
    }
    const query =
      target.method === 'GET'
        ? `?${new URLSearchParams(Object.fromEntries(target.fields.map((f, i) => [f, f === 'apikey' ? key : asText(values[i % values.length])]))).toString()}`
        : ''
    if (method === 'GET' || method === 'HEAD') body = undefined
    return { target, method, contentType, body, query }
  })

function gc(): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

it(`answers ${RUNS} malformed requests across every endpoint with no 5xx and no hang, heap flat`, async () => {
  // generated in chunks, so the cases themselves (some are 300 kB) never pile up in the heap
  const CHUNK = 500
  const chunk = (i: number): Case[] =>
    fc.sample(caseArb, { numRuns: Math.min(CHUNK, RUNS - i), seed: 20_260_302 + i })
  const statuses = new Map<number, number>()
  const serverErrors: string[] = []
  let timeouts = 0
  // every other POST goes over a real socket, where the Node fast path (http/listener.ts) takes
  // plain `/api/v1` posts; the rest go in-process through Hono
  const base = `http://127.0.0.1:${server.running.address.port}`
  const fastBefore = server.running.http.fastPath
  let sent = 0
  const send = async (c: Case): Promise<void> => {
    const overSocket = c.method === 'POST' && sent++ % 2 === 1
    const headers: Record<string, string> = {}
    if (c.contentType) headers['content-type'] = c.contentType
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS)
    })
    const init = { method: c.method, headers, ...(c.body === undefined ? {} : { body: c.body }) }
    const res = await Promise.race([
      overSocket
        ? fetch(`${base}${c.target.path}${c.query}`, init)
        : Promise.resolve(
            server.app.request(`${c.target.path}${c.query}`, init, {
              incoming: { socket: { remoteAddress: '127.0.0.1' } },
            }),
          ),
      timeout,
    ])
    clearTimeout(timer)
    if (res === 'timeout') {
      timeouts++
      return
    }
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
    const text = await res.text()
    if (res.status >= 500)
      serverErrors.push(
        `${c.method} ${c.target.path} → ${res.status} ${text.slice(0, 200)} body=${(c.body ?? '').slice(0, 200)}`,
      )
  }

  const warm = Math.min(1_000, RUNS)
  for (let i = 0; i < warm; i += CHUNK) for (const c of chunk(i)) await send(c)
  server.running.context.requestLog?.flush()
  gc()
  const heapBefore = process.memoryUsage().heapUsed
  for (let i = warm; i < RUNS; i += CHUNK) for (const c of chunk(i)) await send(c)
  server.running.context.requestLog?.flush()
  gc()
  const heapAfter = process.memoryUsage().heapUsed

  const growthMb = (heapAfter - heapBefore) / 1_048_576
  console.info(
    `fuzz: ${RUNS} requests over ${targets.length} endpoint/method pairs; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; timeouts ${timeouts}; heap ${(heapBefore / 1_048_576).toFixed(1)} → ${(heapAfter / 1_048_576).toFixed(1)} MB`,
  )
  expect(serverErrors.slice(0, 5)).toEqual([])
  expect(timeouts).toBe(0)
  // a good share of the malformed posts met the fast path
  expect(server.running.http.fastPath - fastBefore).toBeGreaterThan(RUNS / 5)
  expect(growthMb).toBeLessThan(40)
}, 600_000)
