import { analyzerMode } from '@oa/web-contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import {
  BookOpen,
  Briefcase,
  ChevronDown,
  FlaskConical,
  KeyRound,
  LayoutDashboard,
  ListOrdered,
  LogOut,
  Menu,
  Moon,
  Receipt,
  ScrollText,
  Server,
  Settings,
  Sun,
  Wallet,
} from 'lucide-react'
import { Suspense, useEffect, useRef, useState, type ReactNode } from 'react'
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router'
import { toast } from 'sonner'
import { csrfToken } from '@oa/web-contract'
import { messageOf, postData, postJson } from '../lib/api.js'
import { useLiveEvents } from '../lib/live.js'
import { keys, useMe, useSession } from '../lib/queries.js'
import { applyMode, setTheme, useTheme } from '../lib/theme.js'
import { ErrorBoundary } from './error-boundary.js'
import { Badge, Spinner, cx } from './ui.js'

const MAIN = [
  { to: '/dashboard', label: 'Dashboard', icon: LayoutDashboard },
  { to: '/orderbook', label: 'Orders', icon: ListOrdered },
  { to: '/tradebook', label: 'Trades', icon: Receipt },
  { to: '/positions', label: 'Positions', icon: Briefcase },
  { to: '/holdings', label: 'Holdings', icon: Wallet },
]
const MORE = [
  { to: '/apikey', label: 'API Key', icon: KeyRound },
  { to: '/analyzer', label: 'Analyzer log', icon: FlaskConical },
  { to: '/master-contract', label: 'Master contract', icon: Server },
  { to: '/logs', label: 'Logs', icon: ScrollText },
  { to: '/settings', label: 'Settings', icon: Settings },
]

/** Sends the browser where its stage belongs (spec §4.1): login, broker, or on. */
export function RequireBroker({ children }: { children: ReactNode }) {
  const session = useSession()
  if (session.isPending) return <Spinner label="Checking your session" />
  if (session.isError)
    return (
      <p role="alert" className="p-8 text-center text-loss">
        {messageOf(session.error)}
      </p>
    )
  const s = session.data
  if (!s.authenticated) return <Navigate to="/login" replace />
  if (!s.logged_in || s.broker_session_expired) return <Navigate to="/broker" replace />
  return <>{children}</>
}

function useLogout() {
  const qc = useQueryClient()
  const navigate = useNavigate()
  return useMutation({
    mutationFn: () => postJson('/auth/logout', {}, csrfToken.partial()),
    onSettled: () => {
      qc.clear()
      applyMode('live')
      navigate('/login', { replace: true })
    },
  })
}

function ModeToggle({ mode }: { mode: 'live' | 'analyze' }) {
  const qc = useQueryClient()
  const toggle = useMutation({
    mutationFn: (next: 'live' | 'analyze') =>
      postData('/ui/api/analyzer', { mode: next }, analyzerMode),
    onSuccess: ({ mode: next }) => {
      applyMode(next)
      qc.setQueryData(keys.me, (m: { mode: string } | undefined) => (m ? { ...m, mode: next } : m))
      for (const k of ['funds', 'orders', 'trades', 'positions', 'holdings'])
        void qc.invalidateQueries({ queryKey: [k] })
      if (next === 'analyze') {
        toast.success('Switched to Analyze mode')
        toast.warning(
          'Analyzer (Sandbox) mode is for testing: orders go to the sandbox, not your broker.',
        )
      } else toast.success('Switched to Live mode')
    },
    onError: (e) => toast.error(messageOf(e)),
  })
  const analyze = mode === 'analyze'
  return (
    <button
      type="button"
      role="switch"
      aria-checked={analyze}
      aria-label="Analyzer mode"
      disabled={toggle.isPending}
      onClick={() => toggle.mutate(analyze ? 'live' : 'analyze')}
      className={cx(
        'inline-flex min-h-9 items-center gap-2 rounded-full border px-3 text-xs font-semibold',
        analyze ? 'border-accent bg-accent text-accent-fg' : 'border-line bg-surface text-fg',
      )}
    >
      <FlaskConical aria-hidden className="size-4" />
      {analyze ? 'Analyze' : 'Live'}
    </button>
  )
}

function ThemeToggle() {
  const theme = useTheme()
  const next = theme === 'dark' ? 'light' : 'dark'
  return (
    <button
      type="button"
      onClick={() => setTheme(next)}
      aria-label={`Switch to ${next} theme`}
      className="inline-flex size-9 items-center justify-center rounded-md text-dim hover:bg-muted hover:text-fg"
    >
      {theme === 'dark' ? <Sun className="size-4" /> : <Moon className="size-4" />}
    </button>
  )
}

function UserMenu({ user, broker }: { user: string; broker: string | null }) {
  const [open, setOpen] = useState(false)
  const ref = useRef<HTMLDivElement>(null)
  const logout = useLogout()
  const location = useLocation()
  useEffect(() => setOpen(false), [location.pathname])
  useEffect(() => {
    if (!open) return
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (
        e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)
      )
        setOpen(false)
    }
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', close)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', close)
    }
  }, [open])
  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex min-h-9 items-center gap-1 rounded-md px-2 text-sm hover:bg-muted"
      >
        <Menu aria-hidden className="size-4 sm:hidden" />
        <span className="hidden sm:inline">{user}</span>
        <ChevronDown aria-hidden className="hidden size-3 sm:inline" />
        <span className="sr-only sm:hidden">Menu</span>
      </button>
      {open && (
        <div
          role="menu"
          className="absolute right-0 z-30 mt-1 w-56 rounded-lg border border-line bg-surface p-1 shadow-lg"
        >
          <div className="px-3 py-2 text-xs text-dim">
            {user} · {broker ?? 'no broker'}
          </div>
          {[...MAIN.slice(4), ...MORE].map((i) => (
            <NavLink
              key={i.to}
              to={i.to}
              role="menuitem"
              className="flex items-center gap-2 rounded-md px-3 py-2 text-sm hover:bg-muted"
            >
              <i.icon aria-hidden className="size-4 text-dim" />
              {i.label}
            </NavLink>
          ))}
          <button
            type="button"
            role="menuitem"
            onClick={() => logout.mutate()}
            className="flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-loss hover:bg-muted"
          >
            <LogOut aria-hidden className="size-4" />
            Logout
          </button>
        </div>
      )}
    </div>
  )
}

/** The signed-in shell: top bar, analyzer banner, page, mobile bottom bar; live events on. */
export function Layout() {
  const me = useMe()
  const location = useLocation()
  useLiveEvents(me.isSuccess)
  const mode = me.data?.mode ?? 'live'
  useEffect(() => applyMode(mode), [mode])
  return (
    <div className="min-h-dvh pb-20 sm:pb-0">
      <a
        href="#main"
        className="sr-only rounded bg-accent px-3 py-2 text-accent-fg focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-20 border-b border-line bg-surface/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-4">
          <NavLink to="/dashboard" className="flex items-center gap-2 font-semibold">
            <img src="/favicon.svg" alt="" className="size-7" />
            <span>oa</span>
          </NavLink>
          <nav aria-label="Main" className="ml-4 hidden items-center gap-1 md:flex">
            {MAIN.map((i) => (
              <NavLink
                key={i.to}
                to={i.to}
                className={({ isActive }) =>
                  cx(
                    'rounded-md px-3 py-1.5 text-sm',
                    isActive ? 'bg-muted font-medium text-fg' : 'text-dim hover:text-fg',
                  )
                }
              >
                {i.label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-1 sm:gap-2">
            {me.data?.broker && (
              <span className="hidden lg:inline">
                <Badge>{me.data.broker}</Badge>
              </span>
            )}
            <ModeToggle mode={mode} />
            <ThemeToggle />
            {me.data && <UserMenu user={me.data.user} broker={me.data.broker} />}
          </div>
        </div>
      </header>
      {mode === 'analyze' && (
        <div
          role="status"
          className="border-b border-accent/40 bg-accent/10 px-4 py-2 text-center text-sm font-medium text-accent"
        >
          Analyzer mode is on: orders from every client go to the sandbox (₹1 Cr virtual capital),
          not to your broker.
        </div>
      )}
      <main id="main" className="mx-auto max-w-7xl px-4 py-5 sm:py-6">
        <ErrorBoundary key={location.pathname}>
          <Suspense fallback={<Spinner />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
      <nav
        aria-label="Main (mobile)"
        className="fixed inset-x-0 bottom-0 z-20 grid grid-cols-5 border-t border-line bg-surface pb-[env(safe-area-inset-bottom)] sm:hidden"
      >
        {MAIN.map((i) => (
          <NavLink
            key={i.to}
            to={i.to}
            className={({ isActive }) =>
              cx(
                'flex flex-col items-center gap-0.5 py-2 text-[11px]',
                isActive ? 'text-accent' : 'text-dim',
              )
            }
          >
            <i.icon aria-hidden className="size-5" />
            {i.label}
          </NavLink>
        ))}
      </nav>
    </div>
  )
}

/** A centered card page for setup, login and broker connect. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · oa`
  }, [title])
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center px-4 py-10">
      <div className="mb-6 flex items-center gap-2 text-lg font-semibold">
        <img src="/favicon.svg" alt="" className="size-8" />
        oa
        <span className="absolute top-4 right-4">
          <ThemeToggle />
        </span>
      </div>
      <div className="w-full max-w-md rounded-xl border border-line bg-surface p-6 shadow-sm">
        <h1 className="mb-4 text-xl font-semibold">{title}</h1>
        {children}
      </div>
      <p className="mt-6 flex items-center gap-1 text-xs text-dim">
        <BookOpen aria-hidden className="size-3" />
        OpenAlgo-compatible · self-hosted
      </p>
    </div>
  )
}
