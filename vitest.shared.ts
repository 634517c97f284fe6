// Shared vitest settings: every workspace package resolves its @oa/* dependencies straight to
// their TypeScript sources through the `@oa/source` export condition, so tests need no build.
import { defineConfig } from 'vitest/config'

const conditions = ['@oa/source', 'module', 'node', 'import', 'default']

export const shared = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@oa/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
