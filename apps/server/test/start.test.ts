import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openSqlite } from '@oa/db'
import { describe, expect, it } from 'vitest'
import { spawnOa, tempInstall, waitForStatus } from './helpers.js'

describe('oa start (a real process)', () => {
  it('logs every phase, answers /health 200 when ready, and stops cleanly on SIGTERM', async () => {
    const install = await tempInstall()
    const oa = spawnOa(['start'], install.env)
    const health = await waitForStatus(`http://127.0.0.1:${install.httpPort}/health`, 200, 20_000)
    expect(await health.json()).toEqual({ status: 'ok' })

    const log = oa.output()
    for (const phase of [
      'env-check',
      'storage:main',
      'storage:logs',
      'storage:latency',
      'caches',
      'master-contract',
      'http',
      'ws-proxy',
    ]) {
      expect(log).toMatch(new RegExp(`"phase":"${phase}","durationMs":[0-9.]+`))
    }
    expect(log).toContain('"msg":"ready"')

    const sentAt = performance.now()
    oa.child.kill('SIGTERM')
    const { code, atMs } = await oa.exited
    expect(code).toBe(0)
    expect(atMs - sentAt).toBeLessThan(5_000)

    const files = readdirSync(install.dataDir)
    for (const name of ['openalgo.db', 'logs.db', 'latency.db']) {
      expect(files).toContain(name)
      // a clean close folds the write-ahead log back into the database file
      expect(files).not.toContain(`${name}-wal`)
      const db = openSqlite(join(install.dataDir, name), { readonly: true })
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.close()
    }
  })

  it('answers /health/live 200 while running and stops on SIGINT with exit 0', async () => {
    const install = await tempInstall()
    const oa = spawnOa(['start'], install.env)
    await waitForStatus(`http://127.0.0.1:${install.httpPort}/health`, 200, 20_000)
    const live = await fetch(`http://127.0.0.1:${install.httpPort}/health/live`)
    expect(live.status).toBe(200)
    oa.child.kill('SIGINT')
    expect((await oa.exited).code).toBe(0)
  })

  it('writes JSON lines to a daily log file in LOG_DIR when LOG_TO_FILE is on', async () => {
    const install = await tempInstall()
    const logDir = join(install.dir, 'logs')
    const oa = spawnOa(['start'], { ...install.env, LOG_TO_FILE: 'True', LOG_DIR: logDir })
    await waitForStatus(`http://127.0.0.1:${install.httpPort}/health`, 200, 20_000)
    oa.child.kill('SIGTERM')
    expect((await oa.exited).code).toBe(0)
    const files = readdirSync(logDir)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^openalgo\.\d{4}-\d{2}-\d{2}\.1\.log$/)
    const lines = readFileSync(join(logDir, files[0]!), 'utf8').trim().split('\n')
    const records = lines.map((l) => JSON.parse(l) as { msg: string; phase?: string })
    expect(records.some((r) => r.msg === 'ready')).toBe(true)
    expect(records.filter((r) => r.phase).map((r) => r.phase)).toContain('storage:main')
    // the file holds no secret from the .env
    const secrets =
      readFileSync(install.envFile, 'utf8').match(
        /^(?:APP_KEY|API_KEY_PEPPER)\s*=\s*'([0-9a-f]+)'/gm,
      ) ?? []
    expect(secrets.length).toBe(2)
    const text = lines.join('\n')
    for (const line of secrets) expect(text).not.toContain(line.split("'")[1])
  })

  it('exits 1 with one line per problem when the .env is bad', async () => {
    const install = await tempInstall((text) =>
      text
        .replace(/^APP_KEY\s*=.*$/m, '')
        .replace(/^FLASK_PORT\s*=.*$/m, "FLASK_PORT = 'abc'")
        .replace(/^REDIRECT_URL\s*=.*$/m, "REDIRECT_URL = 'ftp://x'"),
    )
    // (how fast it exits is measured by the startup benchmark, not here)
    const oa = spawnOa(['start'], install.env)
    const { code } = await oa.exited
    expect(code).toBe(1)
    const problemLines = oa
      .output()
      .split('\n')
      .filter((l) => /^(APP_KEY|FLASK_PORT|REDIRECT_URL)\b/.test(l))
    expect(problemLines.map((l) => l.split(/[\s:]/)[0]).sort()).toEqual([
      'APP_KEY',
      'FLASK_PORT',
      'REDIRECT_URL',
    ])
  })

  it('exits 1 naming the port when FLASK_PORT is taken', async () => {
    const install = await tempInstall()
    const first = spawnOa(['start'], install.env)
    await waitForStatus(`http://127.0.0.1:${install.httpPort}/health`, 200, 20_000)
    const second = spawnOa(['start'], { ...install.env, WEBSOCKET_PORT: '0' })
    const { code } = await second.exited
    expect(code).toBe(1)
    expect(second.output()).toContain(`port ${install.httpPort}`)
    expect(second.output()).toMatch(/how to fix: Free port/)
    first.child.kill('SIGTERM')
    expect((await first.exited).code).toBe(0)
  })
})
