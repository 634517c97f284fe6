import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mainMigrations, openDatabase, type DatabaseHandle, type MainDatabase } from '@oa/db'
import { onTestFinished } from 'vitest'
import { createAuthCache, type AuthCache, type AuthCacheOptions } from '../auth-cache.js'
import type { Clock, RandomSource } from '../types.js'

export const PEPPER = '3f1c9a7e5b2d4f608e1a3c5b7d9f0e2a4c6b8d0f1e3a5c7b9d2f4e6a8c0b1d3f'
export const FERNET_SALT = '9c2e4a6b8d0f1a3c5e7b9d1f3a5c7e9b'

export interface ManualClock extends Clock {
  set(iso: string): void
  advance(ms: number): void
}

export function createManualClock(iso: string): ManualClock {
  let now = Date.parse(iso)
  return {
    now: () => now,
    set: (next) => void (now = Date.parse(next)),
    advance: (ms) => void (now += ms),
  }
}

/** Deterministic bytes (xorshift), so keys, IVs and salts repeat from run to run. */
export function seededRandom(seed = 1): RandomSource {
  let x = seed >>> 0 || 1
  return {
    bytes(length) {
      const out = Buffer.alloc(length)
      for (let i = 0; i < length; i++) {
        x ^= x << 13
        x ^= x >>> 17
        x ^= x << 5
        out[i] = x & 0xff
      }
      return out
    },
  }
}

/** A fresh temp directory holding `openalgo.db`, removed when the test finishes. */
export function tempDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-auth-cache-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'openalgo.db')
}

/** Opens (and migrates) the main database; closed when the test finishes. */
export async function openMain(path: string): Promise<DatabaseHandle<MainDatabase>> {
  const handle = await openDatabase<MainDatabase>(path, mainMigrations)
  onTestFinished(() => handle.close())
  return handle
}

/** An AuthCache over its own connection to `path`, as one process would hold it. */
export async function openAuthCache(
  path: string,
  overrides: Partial<AuthCacheOptions> & { clock: Clock },
): Promise<{ auth: AuthCache; main: DatabaseHandle<MainDatabase> }> {
  const main = await openMain(path)
  const auth = createAuthCache({
    db: main.sqlite,
    secrets: { pepper: PEPPER, fernetSaltHex: FERNET_SALT },
    random: seededRandom(),
    expiry: { time: { hour: 3, minute: 0 }, disabled: false },
    ...overrides,
  })
  onTestFinished(() => auth.stop())
  return { auth, main }
}
