/**
 * Display formatting. Amounts arrive as integer 1/10,000 rupee (STYLE.md §8); they are rounded
 * to paise with integer maths (half away from zero) and grouped the Indian way (lakh, crore):
 * ₹1,23,456.78.
 */
const grouping = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 })

export function formatInr(e4: number, options: { sign?: boolean; symbol?: boolean } = {}): string {
  const negative = e4 < 0
  const paise = Math.floor((Math.abs(e4) + 50) / 100)
  const rupees = Math.floor(paise / 100)
  const frac = String(paise % 100).padStart(2, '0')
  const sign = negative && paise > 0 ? '-' : options.sign && paise > 0 ? '+' : ''
  return `${sign}${options.symbol === false ? '' : '₹'}${grouping.format(rupees)}.${frac}`
}

/** A price without the rupee sign (tables), two decimals, Indian grouping. */
export function formatPrice(e4: number): string {
  return formatInr(e4, { symbol: false })
}

export function formatQty(n: number): string {
  return grouping.format(n)
}

/** Basis points as a percentage: 1234 → "+12.34%". */
export function formatBps(bps: number): string {
  const sign = bps > 0 ? '+' : bps < 0 ? '-' : ''
  const abs = Math.abs(bps)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`
}

/** `profit` / `loss` / neutral text colour class for a signed amount. */
export function pnlClass(value: number): string {
  return value > 0 ? 'text-profit' : value < 0 ? 'text-loss' : 'text-dim'
}

/**
 * An instant as IST wall-clock text: "10:00:05", or "02 Mar 10:00:05" with the date. Any zone
 * the server sent (`Z`, `+05:30`, …) is converted to IST without the browser's zone; text
 * without a zone is taken as IST already.
 */
export function formatTime(iso: string, withDate = false): string {
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(iso) ? Date.parse(iso) : NaN
  const text = Number.isFinite(zoned) ? new Date(zoned + 19_800_000).toISOString() : iso
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(text)
  if (!m) return iso
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ]
  return withDate ? `${m[3]} ${months[Number(m[2]) - 1] ?? ''} ${m[4]}` : (m[4] ?? iso)
}

/** Today's IST date (YYYY-MM-DD), independent of the browser's time zone. */
export function istToday(nowMs: number = Date.now()): string {
  return new Date(nowMs + 19_800_000).toISOString().slice(0, 10)
}
