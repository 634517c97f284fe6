// Replacing `.env` safely (spec: platform.md §2.9 "Write semantics"): write `.env.tmp` beside it
// (mode 0600, fsync), rename it over `.env`, fsync the directory. When that pattern cannot work
// (directory not writable, or `.env` is a single file bind-mounted into a container, where a
// rename fails with EXDEV/EBUSY or, on Docker Desktop, silently shadows the mount so the host file
// never changes) fall back to rewriting the file in place.
import * as nodeFs from 'node:fs'
import { dirname, resolve } from 'node:path'

/** The slice of node:fs this module uses; tests pass one that fails on purpose. */
export interface AtomicWriteIo {
  statSync(path: string): { dev: number | bigint }
  openSync(path: string, flags: string, mode?: number): number
  writeSync(fd: number, data: string): number
  fsyncSync(fd: number): void
  closeSync(fd: number): void
  chmodSync(path: string, mode: number): void
  renameSync(from: string, to: string): void
  unlinkSync(path: string): void
  readFileSync(path: string, encoding: 'utf8'): string
  realpathSync(path: string): string
}

export const nodeIo: AtomicWriteIo = {
  statSync: (p) => nodeFs.statSync(p),
  openSync: (p, f, m) => nodeFs.openSync(p, f, m),
  writeSync: (fd, d) => nodeFs.writeSync(fd, d),
  fsyncSync: (fd) => nodeFs.fsyncSync(fd),
  closeSync: (fd) => nodeFs.closeSync(fd),
  chmodSync: (p, m) => nodeFs.chmodSync(p, m),
  renameSync: (a, b) => nodeFs.renameSync(a, b),
  unlinkSync: (p) => nodeFs.unlinkSync(p),
  readFileSync: (p, e) => nodeFs.readFileSync(p, e),
  realpathSync: (p) => nodeFs.realpathSync(p),
}

/** errno codes meaning "tmp + rename cannot work here": write in place instead. */
const FALLBACK_CODES = new Set(['EACCES', 'EPERM', 'EXDEV', 'EBUSY', 'ENOENT'])

export type WriteMethod = 'rename' | 'in_place'

function errCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code
}

function writeAll(io: AtomicWriteIo, fd: number, content: string): void {
  io.writeSync(fd, content)
  try {
    io.fsyncSync(fd)
  } catch {
    // fsync is best effort: some filesystems (and Windows pipes) refuse it
  }
}

/**
 * True when `path` is a mount point of its own (a single-file bind mount): its device differs
 * from its directory's, or /proc/self/mountinfo lists it. False on any error.
 */
export function isSeparatelyMounted(path: string, io: AtomicWriteIo = nodeIo): boolean {
  try {
    if (io.statSync(path).dev !== io.statSync(dirname(resolve(path))).dev) return true
  } catch {
    return false
  }
  try {
    const target = io.realpathSync(path)
    const info = io.readFileSync('/proc/self/mountinfo', 'utf8')
    return info.split('\n').some((line) => line.split(' ')[4] === target)
  } catch {
    return false
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Replaces the content of `path` atomically when possible; returns how it was written. Throws the
 * last error when even the in-place write fails.
 */
export function replaceFileContent(
  path: string,
  content: string,
  options: { io?: AtomicWriteIo; mode?: number; platform?: NodeJS.Platform } = {},
): WriteMethod {
  const io = options.io ?? nodeIo
  const mode = options.mode ?? 0o600
  const platform = options.platform ?? process.platform
  const tmp = `${path}.tmp`
  let exists = true
  try {
    io.statSync(path)
  } catch {
    exists = false
  }

  if (!exists || !isSeparatelyMounted(path, io)) {
    try {
      const fd = io.openSync(tmp, 'w', mode)
      try {
        writeAll(io, fd, content)
      } finally {
        io.closeSync(fd)
      }
      if (platform !== 'win32') io.chmodSync(tmp, mode) // the umask may have narrowed or widened it
      for (let attempt = 1; ; attempt++) {
        try {
          io.renameSync(tmp, path)
          break
        } catch (error) {
          // Windows: an editor or antivirus briefly holding the file; retry twice
          const retry = platform === 'win32' && attempt < 3 && errCode(error) === 'EPERM'
          if (!retry) throw error
          sleepSync(150)
        }
      }
      try {
        const dirFd = io.openSync(dirname(resolve(path)), 'r')
        try {
          io.fsyncSync(dirFd)
        } finally {
          io.closeSync(dirFd)
        }
      } catch {
        // directory fsync is not supported everywhere (Windows); the rename already happened
      }
      return 'rename'
    } catch (error) {
      try {
        io.unlinkSync(tmp)
      } catch {
        // nothing to clean up
      }
      if (!FALLBACK_CODES.has(errCode(error) ?? '')) throw error
    }
  }

  // In place: not crash-atomic, but the only way through a bind mount or a read-only directory.
  const fd = io.openSync(path, 'w', mode)
  try {
    writeAll(io, fd, content)
  } finally {
    io.closeSync(fd)
  }
  return 'in_place'
}
