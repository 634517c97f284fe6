import { describe, it } from 'vitest'
import { runBrokerConformance } from '../testing/broker-conformance.js'
import { refex } from './reference-broker.js'
import { refexFixture } from './reference-fixtures.js'

runBrokerConformance({ plugin: refex, setup: ({ server }) => refexFixture(server), describe, it })
