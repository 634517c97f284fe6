import { Check, X } from 'lucide-react'
import { cx } from './ui.js'

/** The server's password policy (spec §4.2), checked live as the trader types. */
export const RULES: readonly { label: string; ok: (p: string) => boolean }[] = [
  { label: 'At least 8 characters', ok: (p) => p.length >= 8 },
  { label: 'One uppercase letter (A-Z)', ok: (p) => /[A-Z]/.test(p) },
  { label: 'One lowercase letter (a-z)', ok: (p) => /[a-z]/.test(p) },
  { label: 'One number (0-9)', ok: (p) => /[0-9]/.test(p) },
  { label: 'One special character (!@#$%^&*)', ok: (p) => /[!@#$%^&*]/.test(p) },
]

export function passwordOk(p: string): boolean {
  return RULES.every((r) => r.ok(p))
}

/** Score as the original: +20 (≥8), +10 (≥12), +10 (≥16), +15 per character class. */
function strength(p: string): { label: string; percent: number; tone: string } {
  let s = 0
  if (p.length >= 8) s += 20
  if (p.length >= 12) s += 10
  if (p.length >= 16) s += 10
  for (const re of [/[A-Z]/, /[a-z]/, /[0-9]/, /[!@#$%^&*]/]) if (re.test(p)) s += 15
  if (s >= 80) return { label: 'Strong', percent: Math.min(100, s), tone: 'bg-profit' }
  if (s >= 50) return { label: 'Medium', percent: s, tone: 'bg-warn' }
  return { label: s > 0 ? 'Weak' : '', percent: s, tone: 'bg-loss' }
}

export function PasswordRules({ password }: { password: string }) {
  const st = strength(password)
  return (
    <div className="flex flex-col gap-2" aria-live="polite">
      {password && (
        <div className="flex items-center gap-2 text-xs">
          <div className="h-1.5 flex-1 overflow-hidden rounded bg-muted">
            <div className={cx('h-full', st.tone)} style={{ width: `${st.percent}%` }} />
          </div>
          <span className="w-14 text-right text-dim">{st.label}</span>
        </div>
      )}
      <ul className="grid gap-1 text-xs sm:grid-cols-2">
        {RULES.map((r) => {
          const ok = r.ok(password)
          return (
            <li
              key={r.label}
              className={cx('flex items-center gap-1', ok ? 'text-profit' : 'text-dim')}
            >
              {ok ? <Check aria-hidden className="size-3" /> : <X aria-hidden className="size-3" />}
              <span>
                {r.label}
                <span className="sr-only">{ok ? ' (met)' : ' (not met)'}</span>
              </span>
            </li>
          )
        })}
      </ul>
    </div>
  )
}
