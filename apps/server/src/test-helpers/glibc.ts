// What the heap tests share: whether glibc's allocator is the one under test, and a burst of
// malloc'd Buffers freed by plain V8 collections (no malloc_trim), measured in RSS.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** Linux with glibc: where the native addon is built and malloc_trim / mallopt exist. */
export const glibcLinux =
  process.platform === 'linux' &&
  Boolean(
    (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header
      ?.glibcVersionRuntime,
  )

export const rssMb = (): number => process.memoryUsage().rss / 1048576

/**
 * Allocates `count` Buffers of `bytes` each (malloc'd, outside V8's heap), then one small survivor
 * above them, so glibc cannot give the freed space back by lowering the top of its heap; drops
 * them and runs two plain V8 collections (the Buffers' memory goes back to glibc, no trim).
 * Returns RSS, MB, with the Buffers loaded and after they were freed.
 */
export async function mallocBurst(
  count: number,
  bytes: number,
): Promise<{ loadedMb: number; freedMb: number }> {
  setFlagsFromString('--expose-gc')
  const plainGc = runInNewContext('gc') as () => void
  const burst: { buffers: Buffer[] | null } = {
    buffers: Array.from({ length: count }, () => Buffer.allocUnsafeSlow(bytes).fill(1)),
  }
  const survivor = Buffer.allocUnsafeSlow(1000).fill(2)
  const loadedMb = rssMb()
  burst.buffers = null
  plainGc()
  await new Promise((resolve) => setTimeout(resolve, 100))
  plainGc()
  const freedMb = rssMb()
  // read after the collections, so the survivor outlives them
  if (survivor[0] !== 2) throw new Error('the survivor was overwritten')
  return { loadedMb, freedMb }
}
