import type { RandomSource } from '@oa/auth-cache'

/** What a broker login yields (spec platform.md §6.7); stored encrypted by the auth cache. */
export interface BrokerLoginResult {
  readonly authToken: string
  readonly feedToken?: string | null
  readonly brokerUserId?: string | null
}

/** A broker the server can log in to through `/<broker>/callback`. */
export interface BrokerLoginPlugin {
  readonly id: string
  /**
   * true when API calls need no broker login at all (the simulator: there is no broker account
   * to authenticate, so a valid API key is enough); false for real brokers, whose daily token
   * must be present (spec platform.md §6.8)
   */
  readonly sessionless: boolean
  /** exchanges the callback's input for tokens; null when the input is refused */
  login(input: Readonly<Record<string, string>>): Promise<BrokerLoginResult | null>
}

/**
 * Brokers registered for login. Only brokers listed here AND in VALID_BROKERS AND equal to the
 * REDIRECT_URL broker are routed (W-1: the original routed any directory under broker/).
 * Real brokers join this list with their plugins (`@oa/broker-sdk`).
 */
export function registeredBrokers(random: RandomSource): ReadonlyMap<string, BrokerLoginPlugin> {
  const simulator: BrokerLoginPlugin = {
    id: 'simulator',
    sessionless: true,
    // no credentials: the simulator's "session" is an opaque random token, stored encrypted
    // like any broker token so the whole login path is exercised
    login: () => Promise.resolve({ authToken: `sim-${random.bytes(24).toString('hex')}` }),
  }
  return new Map([[simulator.id, simulator]])
}
