/**
 * Option pricing: Black-76 on the forward (index and stock options with F = S·e^(rT), commodity
 * and currency options with their own carry), puts from calls by put-call parity so parity holds
 * to the last float, and a sticky-strike volatility smile.
 */

/**
 * Standard normal CDF, double precision (Hart 1968 as given by G. West, "Better approximations to
 * cumulative normal functions", 2005); absolute error below 1e-14.
 */
export function normalCdf(x: number): number {
  const ax = Math.abs(x)
  let c: number
  if (ax > 37) {
    c = 0
  } else {
    const e = Math.exp((-ax * ax) / 2)
    if (ax < 7.07106781186547) {
      let n = 3.52624965998911e-2 * ax + 0.700383064443688
      n = n * ax + 6.37396220353165
      n = n * ax + 33.912866078383
      n = n * ax + 112.079291497871
      n = n * ax + 221.213596169931
      n = n * ax + 220.206867912376
      let d = 8.83883476483184e-2 * ax + 1.75566716318264
      d = d * ax + 16.064177579207
      d = d * ax + 86.7807322029461
      d = d * ax + 296.564248779674
      d = d * ax + 637.333633378831
      d = d * ax + 793.826512519948
      d = d * ax + 440.413735824752
      c = (e * n) / d
    } else {
      let b = ax + 0.65
      b = ax + 4 / b
      b = ax + 3 / b
      b = ax + 2 / b
      b = ax + 1 / b
      c = e / b / 2.506628274631
    }
  }
  return x > 0 ? 1 - c : c
}

/**
 * Black-76 call value: discount factor `df`, forward `f`, strike `k`, volatility `sigma` (annual),
 * time `t` in years. Intrinsic value when t or sigma is not positive.
 */
export function black76Call(df: number, f: number, k: number, sigma: number, t: number): number {
  if (t <= 0 || sigma <= 0) return df * Math.max(0, f - k)
  const sd = sigma * Math.sqrt(t)
  const d1 = (Math.log(f / k) + (sd * sd) / 2) / sd
  return df * (f * normalCdf(d1) - k * normalCdf(d1 - sd))
}

/** Black-76 put from the call by parity: P = C − df·(F − K). */
export function black76Put(df: number, f: number, k: number, sigma: number, t: number): number {
  return black76Call(df, f, k, sigma, t) - df * (f - k)
}

/** The smile parameters of one underlying on one day. */
export interface SmileParams {
  /** at-the-money volatility */
  atm: number
  /** skew per unit of standardized moneyness (negative: puts richer) */
  skew: number
  /** curvature per unit² of standardized moneyness */
  curvature: number
  /** reference forward the moneyness is measured from (fixed for the day: sticky strike) */
  forward: number
  /** time to expiry at the day's open, years (floored at two days) */
  years: number
}

/**
 * Implied volatility of strike `k` under a smile: atm · (1 + skew·x + curvature·x²), with x the
 * log-moneyness in standard deviations (clamped to ±5) and the factor floored at 0.4. Depends on
 * the strike only within a day, so an option's price is monotone in the underlying.
 */
export function smileVolatility(p: SmileParams, k: number): number {
  const sd = p.atm * Math.sqrt(Math.max(p.years, 2 / 365))
  let x = Math.log(k / p.forward) / sd
  if (x > 5) x = 5
  else if (x < -5) x = -5
  return p.atm * Math.max(0.4, 1 + p.skew * x + p.curvature * x * x)
}
