import { AlertTriangle, Inbox, Loader2, X } from 'lucide-react'
import {
  useEffect,
  useId,
  useRef,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
} from 'react'
import { Link } from 'react-router'
import { ApiError, messageOf } from '../lib/api.js'

export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(' ')
}

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger'
const VARIANTS: Record<Variant, string> = {
  primary: 'bg-accent text-accent-fg hover:opacity-90',
  secondary: 'bg-surface text-fg border border-line hover:bg-muted',
  ghost: 'text-fg hover:bg-muted',
  danger: 'bg-loss text-white hover:opacity-90',
}

export function Button({
  variant = 'primary',
  busy = false,
  className,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button
      type="button"
      {...rest}
      disabled={rest.disabled || busy}
      className={cx(
        'inline-flex min-h-9 items-center justify-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium transition disabled:cursor-not-allowed disabled:opacity-50',
        VARIANTS[variant],
        className,
      )}
    >
      {busy && <Loader2 aria-hidden className="size-4 animate-spin" />}
      {children}
    </button>
  )
}

export function Card({
  title,
  action,
  children,
  className,
}: {
  title?: ReactNode
  action?: ReactNode
  children: ReactNode
  className?: string
}) {
  return (
    <section className={cx('rounded-xl border border-line bg-surface shadow-sm', className)}>
      {(title || action) && (
        <header className="flex items-center justify-between gap-2 border-b border-line px-4 py-3">
          <h2 className="text-sm font-semibold">{title}</h2>
          {action}
        </header>
      )}
      <div className="p-4">{children}</div>
    </section>
  )
}

/** A figure card: label, a big tabular number, an optional caption. */
export function Stat({
  label,
  value,
  tone,
  caption,
}: {
  label: string
  value: ReactNode
  tone?: string
  caption?: ReactNode
}) {
  return (
    <div className="rounded-xl border border-line bg-surface p-4 shadow-sm">
      <div className="text-xs font-medium tracking-wide text-dim uppercase">{label}</div>
      <div className={cx('num mt-1 text-lg font-semibold tracking-tight sm:text-2xl', tone)}>
        {value}
      </div>
      {caption && <div className="mt-1 text-xs text-dim">{caption}</div>}
    </div>
  )
}

export function Badge({ children, tone = 'neutral' }: { children: ReactNode; tone?: string }) {
  const tones: Record<string, string> = {
    neutral: 'bg-muted text-dim',
    profit: 'bg-profit/15 text-profit',
    loss: 'bg-loss/15 text-loss',
    accent: 'bg-accent/15 text-accent',
    warn: 'bg-warn/15 text-warn',
  }
  return (
    <span
      className={cx(
        'inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium',
        tones[tone] ?? tones['neutral'],
      )}
    >
      {children}
    </span>
  )
}

export function Field({
  label,
  hint,
  error,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode; error?: string }) {
  const id = useId()
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-note` : undefined}
        {...input}
        className={cx(
          'min-h-10 rounded-md border border-line bg-surface px-3 py-2 text-sm text-fg placeholder:text-dim',
          error && 'border-loss',
          input.className,
        )}
      />
      {(error || hint) && (
        <div id={`${id}-note`} className={cx('text-xs', error ? 'text-loss' : 'text-dim')}>
          {error ?? hint}
        </div>
      )}
    </div>
  )
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <div role="status" className="flex items-center justify-center gap-2 p-8 text-sm text-dim">
      <Loader2 aria-hidden className="size-5 animate-spin" />
      {label}…
    </div>
  )
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 p-8 text-center">
      <Inbox aria-hidden className="size-8 text-dim" />
      <div className="font-medium">{title}</div>
      {children && <div className="max-w-sm text-sm text-dim">{children}</div>}
    </div>
  )
}

/** Inline error: what failed, what to do; the not-yet-available case says so plainly. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const api = error instanceof ApiError ? error : null
  const notYet = api?.code === 'not_available'
  return (
    <div role="alert" className="flex flex-col items-center gap-2 p-6 text-center text-sm">
      <AlertTriangle aria-hidden className={cx('size-7', notYet ? 'text-warn' : 'text-loss')} />
      <div className="font-medium">{notYet ? 'Not available yet' : 'Could not load this'}</div>
      <div className="max-w-md text-dim">{messageOf(error)}</div>
      {api?.code === 'broker_not_connected' && (
        <Link className="text-accent underline" to="/broker">
          Connect your broker
        </Link>
      )}
      {retry && !notYet && (
        <Button variant="secondary" onClick={retry}>
          Try again
        </Button>
      )}
    </div>
  )
}

export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: string
  subtitle?: ReactNode
  actions?: ReactNode
}) {
  useEffect(() => {
    document.title = `${title} · oa`
  }, [title])
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-xl font-semibold sm:text-2xl">{title}</h1>
        {subtitle && <p className="mt-0.5 text-sm text-dim">{subtitle}</p>}
      </div>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  )
}

/** A modal on the native <dialog> (focus trap, Esc and inert background from the browser). */
export function Dialog({
  open,
  onClose,
  title,
  children,
}: {
  open: boolean
  onClose: () => void
  title: string
  children: ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label={title}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-xl border border-line bg-surface p-0 text-fg shadow-xl"
    >
      {open && (
        <div className="p-5">
          <div className="mb-3 flex items-start justify-between gap-3">
            <h2 className="text-lg font-semibold">{title}</h2>
            <button
              type="button"
              onClick={onClose}
              aria-label="Close"
              className="rounded p-1 text-dim hover:bg-muted"
            >
              <X className="size-4" />
            </button>
          </div>
          {children}
        </div>
      )}
    </dialog>
  )
}

export function Confirm({
  open,
  title,
  body,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean
  title: string
  body: ReactNode
  confirmLabel: string
  busy?: boolean
  error?: string | null
  onConfirm: () => void
  onClose: () => void
}) {
  return (
    <Dialog open={open} onClose={onClose} title={title}>
      <div className="text-sm text-dim">{body}</div>
      {error && (
        <p role="alert" className="mt-3 text-sm text-loss">
          {error}
        </p>
      )}
      <div className="mt-5 flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" busy={busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  )
}
