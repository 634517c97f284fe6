import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  isSeparatelyMounted,
  nodeIo,
  replaceFileContent,
  type AtomicWriteIo,
} from './atomic-write.js'
import { tempDir } from './test-helpers/env.js'

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code })
}

describe('replaceFileContent', () => {
  it('replaces the file through a temp file and rename, leaving it mode 0600 and no temp behind', () => {
    const dir = tempDir()
    const path = join(dir, '.env')
    writeFileSync(path, 'A=1\n', { mode: 0o644 })
    const inodeBefore = statSync(path).ino
    expect(replaceFileContent(path, 'A=2\n')).toBe('rename')
    expect(readFileSync(path, 'utf8')).toBe('A=2\n')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(path).ino).not.toBe(inodeBefore)
    expect(readdirSync(dir)).toEqual(['.env'])
  })

  it('creates a missing file with mode 0600', () => {
    const path = join(tempDir(), '.env')
    replaceFileContent(path, 'A=1\n')
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it.each(['EXDEV', 'EBUSY', 'EPERM', 'EACCES'])(
    'falls back to an in-place write when the rename fails with %s',
    (code) => {
      const dir = tempDir()
      const path = join(dir, '.env')
      writeFileSync(path, 'A=1\n')
      const inode = statSync(path).ino
      const io: AtomicWriteIo = {
        ...nodeIo,
        renameSync: () => {
          throw errno(code)
        },
      }
      expect(replaceFileContent(path, 'A=2\n', { io, platform: 'linux' })).toBe('in_place')
      expect(readFileSync(path, 'utf8')).toBe('A=2\n')
      expect(statSync(path).ino).toBe(inode)
      expect(readdirSync(dir)).toEqual(['.env'])
    },
  )

  it('falls back to an in-place write when the directory refuses the temp file', () => {
    const dir = tempDir()
    const path = join(dir, '.env')
    writeFileSync(path, 'A=1\n')
    const io: AtomicWriteIo = {
      ...nodeIo,
      openSync: (p, flags, mode) => {
        if (p.endsWith('.tmp')) throw errno('EACCES')
        return nodeIo.openSync(p, flags, mode)
      },
    }
    expect(replaceFileContent(path, 'A=2\n', { io })).toBe('in_place')
    expect(readFileSync(path, 'utf8')).toBe('A=2\n')
  })

  it('writes through a bind-mounted single file in place, without trying a rename', () => {
    const dir = tempDir()
    const path = join(dir, '.env')
    writeFileSync(path, 'A=1\n')
    let renamed = false
    const io: AtomicWriteIo = {
      ...nodeIo,
      // the file lives on another device than its directory, as a Docker single-file bind mount
      statSync: (p) => ({ dev: p === path ? 4242 : nodeIo.statSync(p).dev }),
      renameSync: (a, b) => {
        renamed = true
        nodeIo.renameSync(a, b)
      },
    }
    expect(isSeparatelyMounted(path, io)).toBe(true)
    expect(replaceFileContent(path, 'A=2\n', { io })).toBe('in_place')
    expect(renamed).toBe(false)
    expect(readFileSync(path, 'utf8')).toBe('A=2\n')
  })

  it('detects a bind mount listed in /proc/self/mountinfo even on the same device', () => {
    const path = join(tempDir(), '.env')
    writeFileSync(path, '')
    const real = nodeIo.realpathSync(path)
    const io: AtomicWriteIo = {
      ...nodeIo,
      readFileSync: () => `36 35 98:0 /host/.env ${real} rw,relatime - ext4 /dev/sda1 rw\n`,
    }
    expect(isSeparatelyMounted(path, io)).toBe(true)
    expect(isSeparatelyMounted(path, { ...nodeIo, readFileSync: () => '' })).toBe(false)
  })

  it('passes on an unexpected error and removes its temp file', () => {
    const dir = tempDir()
    const path = join(dir, '.env')
    writeFileSync(path, 'A=1\n')
    const io: AtomicWriteIo = {
      ...nodeIo,
      renameSync: () => {
        throw errno('EIO')
      },
    }
    expect(() => replaceFileContent(path, 'A=2\n', { io })).toThrow('EIO')
    expect(readFileSync(path, 'utf8')).toBe('A=1\n')
    expect(readdirSync(dir)).toEqual(['.env'])
  })

  it('retries a rename blocked by another program on Windows', () => {
    const dir = tempDir()
    const path = join(dir, '.env')
    writeFileSync(path, 'A=1\n')
    let attempts = 0
    const io: AtomicWriteIo = {
      ...nodeIo,
      renameSync: (a, b) => {
        attempts++
        if (attempts < 3) throw errno('EPERM')
        nodeIo.renameSync(a, b)
      },
    }
    expect(replaceFileContent(path, 'A=2\n', { io, platform: 'win32' })).toBe('rename')
    expect(attempts).toBe(3)
    expect(readFileSync(path, 'utf8')).toBe('A=2\n')
  })
})
