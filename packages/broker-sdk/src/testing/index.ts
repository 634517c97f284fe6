/**
 * `@oa/broker-sdk/testing`: what a broker package's tests need. A local mock broker (HTTP fixtures
 * by method+path, a scripted WebSocket, recorded requests for golden assertions), a manual clock,
 * a recording logger, an in-memory symbol table, and the conformance suites of brokers.md §4 and
 * streaming.md §2.8. Never imported by production code.
 *
 * @example
 * ```ts
 * import { createMockBrokerServer } from '@oa/broker-sdk/testing'
 *
 * const server = await createMockBrokerServer()
 * server.on({ method: 'POST', path: '/orders/regular' }, { json: { data: { order_id: '1' } } })
 * // …build the broker with endpoints pointed at server.url and place an order…
 * server.expectRequest({ method: 'POST', path: '/orders/regular', form: { quantity: '10' } })
 * ```
 */
export { createManualClock, flushAsync } from './manual-clock.js'
export type { ManualClock } from './manual-clock.js'
export { createMockBrokerServer } from './mock-server.js'
export type {
  ExpectedRequest,
  MockBrokerServer,
  MockResponder,
  MockResponse,
  MockWsConnection,
  MockWsHub,
  RecordedRequest,
  RouteMatcher,
} from './mock-server.js'
export { createRecordingLogger } from './recording-logger.js'
export type { LogLine, RecordingLogger } from './recording-logger.js'
export { createMemorySymbols, symbolRow } from './memory-symbols.js'
export {
  CheckSkipped,
  ConformanceFailure,
  assert,
  assertEqual,
  assertSchema,
  fail,
  registerChecks,
  runChecks,
  skip,
} from './checks.js'
export type { CheckResult, ConformanceCheck, TestRegistrar } from './checks.js'
export { brokerConformanceChecks, checkBroker, runBrokerConformance } from './broker-conformance.js'
export type { BrokerConformanceOptions, BrokerFixture, GoldenOrder } from './broker-conformance.js'
export {
  adapterConformanceChecks,
  checkAdapter,
  runAdapterConformance,
} from './adapter-conformance.js'
export type {
  AdapterConformanceOptions,
  AdapterEnv,
  AdapterFixture,
  FixtureFrame,
} from './adapter-conformance.js'
