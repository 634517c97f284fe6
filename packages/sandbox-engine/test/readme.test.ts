// Runs the README's embedded example verbatim (only the package import is pointed at src), so
// the example cannot rot.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it, onTestFinished, vi } from 'vitest'

const here = fileURLToPath(new URL('.', import.meta.url))

it('runs the README example and prints what the README says', async () => {
  const readme = readFileSync(join(here, '..', 'README.md'), 'utf8')
  const block = /<!-- readme-example[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(block).toBeDefined()
  const code = block ?? ''
  expect(code.trim().split('\n').length).toBeLessThanOrEqual(20)
  expect(code).not.toMatch(/SQLite|kysely|better-sqlite3/)
  const src = join(here, '..', 'src', 'index.js')
  const dir = mkdtempSync(join(here, '.readme-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'example.ts')
  writeFileSync(file, code.replaceAll("'@oa/sandbox-engine'", JSON.stringify(src)))
  const lines: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    lines.push(a.map(String).join(' '))
  })
  onTestFinished(() => log.mockRestore())
  await import(file)
  const printed = /prints `([^`]*)` and `([^`]*)`/.exec(readme)
  expect(lines).toEqual([printed?.[1], printed?.[2]])
  expect(lines).toEqual(['complete 10 800.05', '9998400 1600'])
})
