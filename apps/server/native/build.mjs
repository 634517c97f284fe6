// Builds the optional malloc_trim addon (malloc-trim.c) into dist/native/ after tsc: `pnpm build`
// and `pnpm install` run it. Where it cannot be built (not Linux with glibc, no C compiler, no
// Node headers) it says why in one line and exits 0: the server then runs without it, keeping
// glibc's freed pages a little longer (src/heap.ts). OA_NATIVE=0 skips it; CC picks the compiler.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const source = join(here, 'malloc-trim.c')
const target = join(here, '..', 'dist', 'native', 'malloc-trim.node')

function skip(reason) {
  // a stale addon from an earlier build must not outlive the reason it was skipped
  rmSync(target, { force: true })
  console.log(`malloc-trim addon: not built (${reason}); the server runs without it`)
  process.exit(0)
}

if (process.env.OA_NATIVE === '0') skip('OA_NATIVE=0')
if (process.platform !== 'linux') skip(`${process.platform} has no malloc_trim`)
if (!process.report?.getReport().header.glibcVersionRuntime) skip('the C library is not glibc')

// the headers of the Node that runs the build: its own prefix, npm's nodedir, the distributions'
const include = [
  process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
  join(dirname(process.execPath), '..', 'include', 'node'),
  '/usr/include/node',
  '/usr/local/include/node',
].find((dir) => dir && existsSync(join(dir, 'node_api.h')))
if (!include) skip('no node_api.h found; set npm_config_nodedir to the Node install')

const partial = `${target}.${process.pid}`
mkdirSync(dirname(target), { recursive: true })
const failures = []
for (const cc of process.env.CC ? [process.env.CC] : ['cc', 'gcc', 'clang']) {
  try {
    execFileSync(cc, ['-O2', '-shared', '-fPIC', '-Wall', '-I', include, '-o', partial, source], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 60_000,
    })
    renameSync(partial, target)
    console.log(`malloc-trim addon: built ${target}`)
    process.exit(0)
  } catch (error) {
    rmSync(partial, { force: true })
    const detail = error.code === 'ENOENT' ? 'not found' : String(error.stderr ?? error.message)
    failures.push(`${cc}: ${detail.trim().split('\n')[0]}`)
  }
}
skip(failures.join('; '))
