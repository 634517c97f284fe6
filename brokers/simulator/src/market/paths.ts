/**
 * Price-path parameters of an underlying for a seed and a business-time mode.
 */
import type { BusinessTime } from './business-time.js'
import type { PathSpec } from './price-path.js'
import { hashString } from './prng.js'
import type { Underlying } from './universe.js'

/** The equity market factor is NIFTY's own path. */
const FACTOR_PATH = 'NIFTY'

/** The {@link PathSpec} of an underlying. */
export function pathSpecOf(seed: number, u: Underlying, time: BusinessTime): PathSpec {
  const key = hashString(`path:${u.pathName}`, seed)
  const factorKey = hashString(`path:${FACTOR_PATH}`, seed)
  const rho = u.family === 'equity' ? (key === factorKey ? 1 : u.rho) : 0
  return {
    key,
    factorKey,
    rho,
    logAnchor: Math.log(u.basePrice),
    sigmaMinute: (u.annualVol * time.volatilityScale) / Math.sqrt(time.minutesPerYear(u.family)),
  }
}
