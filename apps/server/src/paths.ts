import { fileURLToPath } from 'node:url'

/**
 * The repository (installation) root: `.sample.env`, the default `.env`, and the base of relative
 * paths such as `OA_DATA_DIR=db`. Computed from this file's location, which is the same depth in
 * src/ and dist/, so `oa` works from any working directory.
 */
export const repoRoot: string = fileURLToPath(new URL('../../../', import.meta.url))
