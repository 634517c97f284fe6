import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { ALLOCATOR_ENV, tuneMalloc } from './heap.js'

// A file of its own: mallopt changes the allocator of the whole test process for good, and glibc
// serves a large block from free space already in its heap before it maps one, so the blocks
// other tests freed would hide the effect.

const glibcLinux =
  process.platform === 'linux' &&
  Boolean(
    (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header
      ?.glibcVersionRuntime,
  )

describe.runIf(glibcLinux)('tuneMalloc (the native addon)', () => {
  it('leaves a setting the environment made to glibc, and applies the other', () => {
    expect(tuneMalloc({ MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '131072' })).toEqual({
      mmapThreshold: null,
      arenaMax: null,
    })
    expect(tuneMalloc({ MALLOC_ARENA_MAX: '4' })).toEqual({
      mmapThreshold: Number(ALLOCATOR_ENV.MALLOC_MMAP_THRESHOLD_),
      arenaMax: null,
    })
  })

  it('applies the Docker image’s settings: freed large blocks go back without a trim', async () => {
    expect(tuneMalloc({})).toEqual({ mmapThreshold: 65536, arenaMax: 2 })
    setFlagsFromString('--expose-gc')
    const plainGc = runInNewContext('gc') as () => void
    const rssMb = () => process.memoryUsage().rss / 1048576
    // 100 kB blocks: under glibc's default threshold (128 kB) they come from its heap, where a
    // survivor above them keeps the freed space (see the trim test); over 64 kB each is mapped
    let buffers: Buffer[] | null = Array.from({ length: 600 }, () =>
      Buffer.allocUnsafeSlow(100_000).fill(1),
    )
    const survivor = Buffer.allocUnsafeSlow(1000).fill(2)
    const loaded = rssMb()
    buffers = null
    plainGc()
    await new Promise((resolve) => setTimeout(resolve, 100))
    plainGc()
    expect(buffers).toBeNull()
    expect(survivor[0]).toBe(2)
    expect(loaded - rssMb()).toBeGreaterThan(40)
  })
})
