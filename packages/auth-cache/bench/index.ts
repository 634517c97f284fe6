// Benchmarks of @oa/auth-cache (STYLE.md §11): every figure races a baseline measured in the
// same run. Run with `pnpm --filter @oa/auth-cache bench` (or `pnpm bench`).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { verify as argon2Verify } from '@node-rs/argon2'
import { compareOps, report, type BenchResult } from '@oa/bench-kit'
import { mainMigrations, openDatabase, type MainDatabase } from '@oa/db'
import { apiKeyLookup, createAuthCache, deriveSubKey, secureRandom } from '../src/index.js'

const PEPPER = 'b'.repeat(64)
const dir = mkdtempSync(join(tmpdir(), 'oa-auth-bench-'))
const main = await openDatabase<MainDatabase>(join(dir, 'openalgo.db'), mainMigrations)
const clock = { now: () => Date.now() }
const auth = createAuthCache({
  db: main.sqlite,
  secrets: { pepper: PEPPER, fernetSaltHex: 'ab'.repeat(16) },
  clock,
  random: secureRandom,
  expiry: { time: { hour: 3, minute: 0 }, disabled: false },
  hotKeyTtlMs: 3_600_000, // the bench runs longer than the default 60 s TTL
})
const results: BenchResult[] = []

// 1. The hot path: a verified key, as every /api/v1 request after the first presents it.
const key = await auth.issueApiKey('admin')
await auth.verifier.verify(key)
const baselineMap = new Map<string, { username: string; keyId: number }>([
  [key, { username: 'admin', keyId: 1 }],
])
// both sides read the same string object, so V8's cached string hash helps both alike
let sink: unknown
results.push(
  compareOps({
    name: 'verify cached valid key (verifier.cached) vs bare Map.get, ns/op (lower is better)',
    baseline: () => (sink = baselineMap.get(key)),
    candidate: () => (sink = auth.verifier.cached(key)),
    rounds: 40,
    batch: 200_000,
  }),
)

// 1b. Why the hot map exists: one HMAC-SHA256 of the key (what any keyed-hash cache costs).
const lookupKey = deriveSubKey(PEPPER, 'api-key-lookup')
results.push(
  compareOps({
    name: 'HMAC-SHA256 of the key (level-2 cache key) vs bare Map.get, ns/op (lower is better)',
    baseline: () => (sink = baselineMap.get(key)),
    candidate: () => (sink = apiKeyLookup(lookupKey, key)),
    rounds: 20,
    batch: 20_000,
  }),
)

// 1c. The async door the HTTP middleware awaits on a hit, against an awaited Map.get.
{
  const rounds = 20
  const batch = 20_000
  const base: number[] = []
  const cand: number[] = []
  const mapAsync = async (): Promise<unknown> => baselineMap.get(key)
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now()
    for (let i = 0; i < batch; i++) sink = await mapAsync()
    base.push(((performance.now() - t0) * 1e6) / batch)
    t0 = performance.now()
    for (let i = 0; i < batch; i++) sink = await auth.verifier.verify(key)
    cand.push(((performance.now() - t0) * 1e6) / batch)
  }
  const med = (v: number[]): number =>
    [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN
  const b = med(base)
  const c = med(cand)
  results.push({
    name: 'await verifier.verify(cached key) vs await async Map.get, ns/op (lower is better)',
    value: round(c),
    unit: 'ns/op',
    baseline: round(b),
    ratio: round(c / b),
  })
}

// 2. An uncached valid key costs exactly one Argon2 verification, raced against a bare one.
{
  const phc = (
    main.sqlite.prepare('SELECT api_key_hash FROM api_keys').get() as { api_key_hash: string }
  ).api_key_hash
  const base: number[] = []
  const cand: number[] = []
  const before = auth.hasher.stats.verifies
  const rounds = 8
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now()
    await argon2Verify(phc, key + PEPPER)
    base.push(performance.now() - t0)
    auth.verifier.invalidateAll()
    t0 = performance.now()
    const verdict = await auth.verifier.verify(key)
    cand.push(performance.now() - t0)
    if (!verdict.ok) throw new Error('bench key did not verify')
  }
  const perCall = (auth.hasher.stats.verifies - before) / rounds
  if (perCall !== 1) throw new Error(`expected 1 Argon2 verify per uncached key, got ${perCall}`)
  const med = (v: number[]): number =>
    [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN
  results.push({
    name: 'verify uncached valid key (1 Argon2id m=64MiB t=3 p=4) vs bare argon2 verify, ms/op (lower is better)',
    value: round(med(cand)),
    unit: 'ms/op',
    baseline: round(med(base)),
    ratio: round(med(cand) / med(base)),
  })
}

// 3. 1 000 concurrent requests with the same new key: Argon2 verifications actually run.
{
  const fresh = await auth.issueApiKey('admin')
  const before = auth.hasher.stats.verifies
  const t0 = performance.now()
  const verdicts = await Promise.all(
    Array.from({ length: 1000 }, () => auth.verifier.verify(fresh)),
  )
  const ms = performance.now() - t0
  if (!verdicts.every((v) => v.ok)) throw new Error('a concurrent verification failed')
  const verifies = auth.hasher.stats.verifies - before
  results.push({
    name: '1000 concurrent requests, same new key: Argon2 verifies run (baseline: one per request, as the original)',
    value: verifies,
    unit: 'argon2 verifies',
    baseline: 1000,
    ratio: verifies / 1000,
  })
  results.push({
    name: '1000 concurrent requests, same new key: wall time ms (baseline: one Argon2 verify x 1000 / 2 cores)',
    value: round(ms),
    unit: 'ms',
    baseline: round((results[3]?.baseline ?? Number.NaN) * 500),
    ratio: round(ms / ((results[3]?.baseline ?? Number.NaN) * 500)),
  })
}

void sink
auth.stop()
await main.close()
rmSync(dir, { recursive: true, force: true })
await report('auth-cache', results)

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}
