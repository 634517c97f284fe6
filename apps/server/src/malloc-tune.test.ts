import { describe, expect, it } from 'vitest'
import { ALLOCATOR_ENV, tuneMalloc } from './heap.js'
import { glibcLinux, mallocBurst } from './test-helpers/glibc.js'

// A file of its own: mallopt changes the allocator of the whole test process for good, and glibc
// serves a large block from free space already in its heap before it maps one, so the blocks
// other tests freed would hide the effect.

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
    // 100 kB blocks: under glibc's default threshold (128 kB) they come from its heap, where a
    // survivor above them keeps the freed space (see the trim test); over 64 kB each is mapped
    const { loadedMb, freedMb } = await mallocBurst(600, 100_000)
    expect(loadedMb - freedMb).toBeGreaterThan(40)
  })
})
