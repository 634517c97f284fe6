import type { BrokerPlugin } from '@oa/broker-sdk'
import { createSimulatorPlugin } from '@oa/broker-simulator'
import type { OaConfig } from '@oa/env-check'

/**
 * The broker plugins this server registers: one line per broker (STYLE.md §15 step 7). The
 * simulator is always there (OA_SIMULATOR_SEED, OA_SIMULATOR_EXTRA_STRIKES); real brokers join as
 * their packages land.
 */
export function serverBrokerPlugins(config: Pick<OaConfig, 'simulator'>): BrokerPlugin[] {
  const { seed, extraStrikes } = config.simulator
  return [createSimulatorPlugin({ seed, extraStrikes })]
}
