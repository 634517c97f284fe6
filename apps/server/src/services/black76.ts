/**
 * Option pricing, Greeks and implied volatility, computed here (the original needs a compiled
 * library, `opengreeks`, and fails without it). Black-76 prices options on a forward/future —
 * the model for Indian index and stock options priced off the synthetic future — and
 * Black-Scholes prices off spot with a rate. Units follow the original (py_vollib conventions):
 * time in years, rate and volatility as decimals in, theta per calendar day, vega and rho per
 * 1 percentage point. Floats are fine here: this is analytics, not money (STYLE.md §8).
 */

export type OptionFlag = 'c' | 'p'

export interface Greeks {
  readonly delta: number
  readonly gamma: number
  readonly theta: number
  readonly vega: number
  readonly rho: number
}

const SQRT_2PI = Math.sqrt(2 * Math.PI)

/** Standard normal density. */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI
}

/**
 * Standard normal CDF to double precision (Hart 1968 as given by West, "Better approximations
 * to cumulative normal functions", 2005): relative error ~1e-15, including far tails, which an
 * IV search on deep out-of-the-money options needs.
 */
export function normCdf(x: number): number {
  const z = Math.abs(x)
  let c: number
  if (z > 37) {
    c = 0
  } else {
    const e = Math.exp((-z * z) / 2)
    if (z < 7.07106781186547) {
      let n = 3.52624965998911e-2 * z + 0.700383064443688
      n = n * z + 6.37396220353165
      n = n * z + 33.912866078383
      n = n * z + 112.079291497871
      n = n * z + 221.213596169931
      n = n * z + 220.206867912376
      let d = 8.83883476483184e-2 * z + 1.75566716318264
      d = d * z + 16.064177579207
      d = d * z + 86.7807322029461
      d = d * z + 296.564248779674
      d = d * z + 637.333633378831
      d = d * z + 793.826512519948
      d = d * z + 440.413735824752
      c = (e * n) / d
    } else {
      let d = z + 0.65
      d = z + 4 / d
      d = z + 3 / d
      d = z + 2 / d
      d = z + 1 / d
      c = e / d / 2.506628274631
    }
  }
  return x > 0 ? 1 - c : c
}

function d1d2(f: number, k: number, t: number, sigma: number): [number, number] {
  const st = sigma * Math.sqrt(t)
  const d1 = (Math.log(f / k) + 0.5 * sigma * sigma * t) / st
  return [d1, d1 - st]
}

/** Black-76 price of a European option on a forward `f` (discounted at `r`). */
export function black76Price(
  flag: OptionFlag,
  f: number,
  k: number,
  t: number,
  r: number,
  sigma: number,
): number {
  const df = Math.exp(-r * t)
  if (sigma <= 0 || t <= 0) return df * Math.max(flag === 'c' ? f - k : k - f, 0)
  const [d1, d2] = d1d2(f, k, t, sigma)
  return flag === 'c'
    ? df * (f * normCdf(d1) - k * normCdf(d2))
    : df * (k * normCdf(-d2) - f * normCdf(-d1))
}

/** Black-76 Greeks: theta per day (/365), vega and rho per 1% (×0.01), as py_vollib's black. */
export function black76Greeks(
  flag: OptionFlag,
  f: number,
  k: number,
  t: number,
  r: number,
  sigma: number,
): Greeks {
  const df = Math.exp(-r * t)
  const [d1, d2] = d1d2(f, k, t, sigma)
  const pdf1 = normPdf(d1)
  const sqrtT = Math.sqrt(t)
  const first = (f * df * pdf1 * sigma) / (2 * sqrtT)
  const price = black76Price(flag, f, k, t, r, sigma)
  if (flag === 'c') {
    return {
      delta: df * normCdf(d1),
      gamma: (df * pdf1) / (f * sigma * sqrtT),
      theta: -(first - r * f * df * normCdf(d1) + r * k * df * normCdf(d2)) / 365,
      vega: f * df * pdf1 * sqrtT * 0.01,
      rho: -t * price * 0.01,
    }
  }
  return {
    delta: -df * normCdf(-d1),
    gamma: (df * pdf1) / (f * sigma * sqrtT),
    theta: (-first - r * f * df * normCdf(-d1) + r * k * df * normCdf(-d2)) / 365,
    vega: f * df * pdf1 * sqrtT * 0.01,
    rho: -t * price * 0.01,
  }
}

/** Black-Scholes price of a European option on spot `s` (no dividends). */
export function blackScholesPrice(
  flag: OptionFlag,
  s: number,
  k: number,
  t: number,
  r: number,
  sigma: number,
): number {
  // Black-Scholes on spot is Black-76 on the forward s·e^{rt}
  return black76Price(flag, s * Math.exp(r * t), k, t, r, sigma)
}

/** Black-Scholes Greeks with respect to spot, in the same trader units as {@link black76Greeks}. */
export function blackScholesGreeks(
  flag: OptionFlag,
  s: number,
  k: number,
  t: number,
  r: number,
  sigma: number,
): Greeks {
  const sqrtT = Math.sqrt(t)
  const d1 = (Math.log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * sqrtT)
  const d2 = d1 - sigma * sqrtT
  const pdf1 = normPdf(d1)
  const disc = k * Math.exp(-r * t)
  const first = -(s * pdf1 * sigma) / (2 * sqrtT)
  if (flag === 'c') {
    return {
      delta: normCdf(d1),
      gamma: pdf1 / (s * sigma * sqrtT),
      theta: (first - r * disc * normCdf(d2)) / 365,
      vega: s * pdf1 * sqrtT * 0.01,
      rho: t * disc * normCdf(d2) * 0.01,
    }
  }
  return {
    delta: normCdf(d1) - 1,
    gamma: pdf1 / (s * sigma * sqrtT),
    theta: (first + r * disc * normCdf(-d2)) / 365,
    vega: s * pdf1 * sqrtT * 0.01,
    rho: -t * disc * normCdf(-d2) * 0.01,
  }
}

export type ImpliedVolResult =
  | { readonly ok: true; readonly sigma: number; readonly iterations: number }
  | { readonly ok: false; readonly reason: 'below_intrinsic' | 'above_maximum' | 'no_convergence' }

const SIGMA_LO = 1e-6
const SIGMA_HI = 20

/**
 * Black-76 implied volatility: Newton–Raphson from a Brenner–Subrahmanyam start, guarded by a
 * bracket so every step stays inside [lo, hi]; when Newton stalls (vega ~ 0 deep in or out of
 * the money, or a day from expiry) it falls back to bisection on the bracket, which always
 * converges. Fails only when no volatility reproduces the price: below the discounted intrinsic
 * value, or at/above the discounted forward (call) or strike (put).
 */
export function impliedVolatility(
  price: number,
  f: number,
  k: number,
  r: number,
  t: number,
  flag: OptionFlag,
  tolerance = 1e-10,
): ImpliedVolResult {
  const df = Math.exp(-r * t)
  const intrinsic = df * Math.max(flag === 'c' ? f - k : k - f, 0)
  const maximum = df * (flag === 'c' ? f : k)
  if (!(price > intrinsic)) return { ok: false, reason: 'below_intrinsic' }
  if (!(price < maximum)) return { ok: false, reason: 'above_maximum' }

  let lo = SIGMA_LO
  let hi = SIGMA_HI
  const fLo = black76Price(flag, f, k, t, r, lo) - price
  if (fLo > 0) return { ok: true, sigma: lo, iterations: 0 }
  if (black76Price(flag, f, k, t, r, hi) - price < 0) return { ok: false, reason: 'no_convergence' }

  // Brenner–Subrahmanyam: σ ≈ √(2π/t)·C/F near the money; clamp into the bracket
  let sigma = Math.min(Math.max((Math.sqrt((2 * Math.PI) / t) * price) / (df * f), 0.05), 3)
  const priceTol = Math.max(tolerance * price, 1e-14)
  for (let i = 1; i <= 100; i++) {
    const diff = black76Price(flag, f, k, t, r, sigma) - price
    if (Math.abs(diff) < priceTol) return { ok: true, sigma, iterations: i }
    if (diff > 0) hi = sigma
    else lo = sigma
    const [d1] = d1d2(f, k, t, sigma)
    const vega = f * df * normPdf(d1) * Math.sqrt(t)
    let next = vega > 1e-12 ? sigma - diff / vega : Number.NaN
    // a Newton step outside the bracket (or no step at all) becomes a bisection step
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi)
    if (Math.abs(next - sigma) < 1e-13 * Math.max(1, sigma))
      return { ok: true, sigma: next, iterations: i }
    sigma = next
  }
  return hi - lo < 1e-8
    ? { ok: true, sigma, iterations: 100 }
    : { ok: false, reason: 'no_convergence' }
}
