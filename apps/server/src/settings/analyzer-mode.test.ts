import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import {
  mainMigrations,
  openDatabase,
  SQLITE_DRIVER_PATH,
  type MainDatabase,
  type SqliteDatabase,
} from '@oa/db'
import { describe, expect, it, onTestFinished } from 'vitest'
import { main } from '../cli.js'
import { commandIo, tempInstall } from '../identity/test-helpers/harness.js'
import { createLogger } from '../logger.js'
import { loadConfig } from '../config.js'
import { repoRoot } from '../paths.js'
import {
  createAnalyzerMode,
  readAnalyzeMode,
  SETTINGS_EPOCH,
  writeAnalyzeMode,
} from './analyzer-mode.js'

const silent = createLogger({ level: 'fatal', pretty: false })
const clock = { now: () => Date.parse('2025-04-17T10:00:00+05:30') }

async function openMain(path: string) {
  const handle = await openDatabase<MainDatabase>(path, mainMigrations)
  onTestFinished(() => handle.close())
  return handle
}

function tempMainPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-analyzer-mode-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'openalgo.db')
}

const epochOf = (db: SqliteDatabase) =>
  (
    db.prepare('SELECT value FROM app_meta WHERE key = ?').get(SETTINGS_EPOCH) as
      { value: string } | undefined
  )?.value

describe('analyzer mode', () => {
  it('waits for another process that holds the write lock, rather than failing as locked', async () => {
    const path = tempMainPath()
    const db = await openMain(path)
    // another process (the running server, say) writes for 400 ms
    const holder = spawn(process.execPath, [
      '-e',
      `const D = require(${JSON.stringify(SQLITE_DRIVER_PATH)})
       const db = new D(${JSON.stringify(path)})
       db.exec("BEGIN IMMEDIATE; UPDATE app_meta SET updated_at = 'x' WHERE key = 'none'")
       process.stdout.write('locked\\n')
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400)
       db.exec('COMMIT')`,
    ])
    const exited = new Promise((resolve) => holder.once('exit', resolve))
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()))
    // a read first, then the write: a deferred transaction's snapshot would be stale by then
    expect(writeAnalyzeMode(db.sqlite, true, clock.now())).toBe(false)
    expect(readAnalyzeMode(db.sqlite)).toBe(true)
    expect(await exited).toBe(0)
  })

  it('starts off, and a switch writes the row and bumps settings_epoch in one go', async () => {
    const server = await openMain(tempMainPath())
    const mode = createAnalyzerMode({ db: server.sqlite, clock, logger: silent })
    expect(mode.isOn()).toBe(false)
    const seen: boolean[] = []
    mode.onChange((on) => seen.push(on))
    expect(mode.set(true, 'test')).toBe(false)
    expect(mode.isOn()).toBe(true)
    expect(readAnalyzeMode(server.sqlite)).toBe(true)
    expect(epochOf(server.sqlite)).toBe('1')
    mode.set(true, 'test') // no change: no event, but the epoch still moves
    expect(epochOf(server.sqlite)).toBe('2')
    expect(seen).toEqual([true])
  })

  it('follows a change another process committed on the very next read, not a poll later', async () => {
    const path = tempMainPath()
    const server = await openMain(path)
    // no poll runs in this test (start() is never called): only isOn() can notice
    const mode = createAnalyzerMode({ db: server.sqlite, clock, logger: silent })
    const seen: boolean[] = []
    mode.onChange((on) => seen.push(on))
    expect(mode.isOn()).toBe(false)
    // `oa analyzer on` in another process: its own connection. An order arriving right after it
    // returned must go to the sandbox, never to the live broker.
    const other = await openMain(path)
    writeAnalyzeMode(other.sqlite, true, clock.now())
    expect(mode.isOn()).toBe(true)
    expect(seen).toEqual([true])
    mode.check() // nothing new
    expect(mode.isOn()).toBe(true)
    expect(seen).toEqual([true])
    writeAnalyzeMode(other.sqlite, false, clock.now())
    expect(mode.isOn()).toBe(false)
    expect(seen).toEqual([true, false])
  })
})

describe('oa analyzer', () => {
  it('switches the mode in the database and says so; no argument prints it', async () => {
    const install = tempInstall()
    const on = commandIo(install.env)
    expect(await main(['analyzer', 'on'], on.io)).toBe(0)
    expect(on.stdout()).toContain('oa: analyzer mode switched to analyze')
    const again = commandIo(install.env)
    expect(await main(['analyzer', 'on'], again.io)).toBe(0)
    expect(again.stdout()).toContain('already on')
    const show = commandIo(install.env)
    expect(await main(['analyzer'], show.io)).toBe(0)
    expect(show.stdout()).toContain('analyzer mode is on')
    const off = commandIo(install.env)
    expect(await main(['analyzer', 'off'], off.io)).toBe(0)
    expect(off.stdout()).toContain('switched to live')

    const outcome = loadConfig({
      rootDir: repoRoot,
      envFile: install.envFile,
      processEnv: install.env,
      createIfMissing: false,
    })
    const db = await openMain(outcome.config?.storage.mainDb ?? '')
    expect(readAnalyzeMode(db.sqlite)).toBe(false)
    expect(epochOf(db.sqlite)).toBe('3') // on, on again, off
  })

  it('refuses anything but on or off', async () => {
    const install = tempInstall()
    const run = commandIo(install.env)
    expect(await main(['analyzer', 'maybe'], run.io)).toBe(1)
    expect(run.stderr()).toContain('expected "on" or "off"')
  })
})
