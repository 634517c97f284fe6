// `/funds` (spec api.md §8.7): the five fields as 2-decimal strings. The service routes by mode:
// analyzer mode on → the sandbox's funds; off → the caller's broker.
import { toWireFunds } from '@oa/broker-sdk'
import type { BrokerRegistry } from '../brokers/registry.js'
import {
  brokerFailure,
  lookupFailure,
  success,
  type ServiceCaller,
  type ServiceReply,
} from './reply.js'

/**
 * The analyzer-mode branch, filled in by the sandbox (analyzer) area: when `isOn()` is true the
 * funds come from `funds(caller)` (`{"status":"success","data":{...},"mode":"analyze"}`) and the
 * broker is not asked. Until it is wired, every call takes the live branch.
 */
export interface AnalyzerFundsSeam {
  isOn(): boolean
  funds(caller: ServiceCaller): Promise<ServiceReply>
}

export type FundsService = (caller: ServiceCaller) => Promise<ServiceReply>

export function createFundsService(deps: {
  readonly brokers: BrokerRegistry
  /** the analyzer-mode branch; absent → always live */
  readonly analyzer?: () => AnalyzerFundsSeam | undefined
}): FundsService {
  return async (caller) => {
    const analyzer = deps.analyzer?.()
    if (analyzer?.isOn()) return analyzer.funds(caller)
    const lookup = deps.brokers.forUser(caller.username, caller.broker, caller.trace)
    if (!lookup.ok) return lookupFailure(lookup)
    const result = await lookup.broker.funds()
    return result.ok ? success({ data: toWireFunds(result.value) }) : brokerFailure(result.error)
  }
}
