import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkEnv } from './check-env.js'
import { parseDotenv } from './dotenv.js'
import { listEnvVariables, renderEnvReference } from './reference.js'
import { repoRoot, sampleText, validVars } from './test-helpers/env.js'

describe('.sample.env', () => {
  it('validates as is once fresh secrets are substituted', () => {
    const r = checkEnv({
      rootDir: repoRoot,
      fileVars: validVars(),
      processEnv: {},
      sampleText: sampleText(),
    })
    expect(r.ok).toBe(true)
    expect(r.warnings).toEqual([])
  })

  it('is refused only for its APP_KEY placeholder before first run', () => {
    const r = checkEnv({
      rootDir: repoRoot,
      fileVars: parseDotenv(sampleText()),
      processEnv: {},
      sampleText: sampleText(),
    })
    expect(!r.ok && r.problems.map((p) => [p.variable, p.code])).toEqual([
      ['APP_KEY', 'compromised_secret'],
    ])
  })

  it('lists every variable the schema knows, with a comment above it or its section', () => {
    const lines = sampleText().split('\n')
    for (const v of listEnvVariables()) {
      const at = lines.findIndex((l) => new RegExp(`^(# )?${v.name} =`).test(l))
      expect(at, `${v.name} is not in .sample.env`).toBeGreaterThan(0)
      const above = lines.slice(0, at).reverse()
      const commentAbove = above.findIndex((l) => l.startsWith('#') && !/^# [A-Z_]+ =/.test(l))
      expect(commentAbove, `${v.name} has no comment above it`).toBeGreaterThanOrEqual(0)
    }
  })

  it('has no assignment the schema does not know', () => {
    const known = new Set(listEnvVariables().map((v) => v.name))
    expect([...parseDotenv(sampleText()).keys()].filter((k) => !known.has(k))).toEqual([])
  })
})

describe('docs/environment.md', () => {
  it('is up to date with the schema (pnpm --filter @oa/env-check gen:docs)', () => {
    expect(readFileSync(join(repoRoot, 'docs', 'environment.md'), 'utf8')).toBe(
      renderEnvReference(),
    )
  })

  it('names every variable', () => {
    const doc = renderEnvReference()
    for (const v of listEnvVariables()) expect(doc).toContain(`| \`${v.name}\``)
  })
})
