import { describe, it } from 'vitest'
import { runAdapterConformance } from '../testing/adapter-conformance.js'
import { refexAdapterFixture } from './reference-fixtures.js'

runAdapterConformance({
  name: 'refex',
  setup: ({ server }) => refexAdapterFixture(server),
  describe,
  it,
})
