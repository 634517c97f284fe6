// The root run: every workspace package's tests in one process pool, one summary line.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'brokers/*'],
    reporters: ['default'],
  },
})
