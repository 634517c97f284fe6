import { describe, expect, it } from 'vitest'
import { main } from '../cli.js'
import { commandIo, tempInstall } from '../identity/test-helpers/harness.js'

const ARGS = [
  'setup',
  '--username',
  'admin',
  '--email',
  'admin@example.com',
  '--password',
  'Str0ng!Pass',
]

describe('oa setup', () => {
  it('creates the admin (exit 0), then refuses a second setup (exit 1, clear message)', async () => {
    const install = tempInstall()
    const first = commandIo(install.env)
    expect(await main(ARGS, first.io)).toBe(0)
    expect(first.stdout()).toContain('admin user "admin" created')
    const second = commandIo(install.env)
    expect(await main(ARGS, second.io)).toBe(1)
    expect(second.stderr()).toContain('setup is already done: an admin user exists')
  })

  it('refuses a weak password with the policy message (exit 1)', async () => {
    const install = tempInstall()
    const run = commandIo(install.env)
    expect(
      await main(
        ['setup', '--username', 'admin', '--email', 'a@b.c', '--password', 'weakpass'],
        run.io,
      ),
    ).toBe(1)
    expect(run.stderr()).toContain('Password must contain at least 1 uppercase letter (A-Z)')
  })

  it('names the missing option (exit 1)', async () => {
    const install = tempInstall()
    const run = commandIo(install.env)
    expect(await main(['setup', '--username', 'admin'], run.io)).toBe(1)
    expect(run.stderr()).toContain('--username, --email and --password are all required')
  })
})
