import { loginReply } from '@oa/web-contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Eye, EyeOff } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { Link, Navigate, useNavigate } from 'react-router'
import { AuthFrame } from '../components/layout.js'
import { Button, Field, Spinner } from '../components/ui.js'
import { ApiError, messageOf, postJson } from '../lib/api.js'
import { keys, useSession, useSetup } from '../lib/queries.js'

/** App login (spec §3.2): password, then the 6-digit code when 2FA login is on. */
export default function LoginPage() {
  const setup = useSetup()
  const session = useSession()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [step, setStep] = useState<'password' | 'totp'>('password')
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [show, setShow] = useState(false)
  const [code, setCode] = useState('')
  const [notice, setNotice] = useState<string | null>(null)

  const finish = async (redirect: string | undefined) => {
    await qc.invalidateQueries({ queryKey: keys.session })
    qc.removeQueries({ queryKey: keys.me })
    navigate(redirect === '/dashboard' ? '/dashboard' : '/broker', { replace: true })
  }
  const login = useMutation({
    mutationFn: () => postJson('/auth/login', { username: username.trim(), password }, loginReply),
    onSuccess: async (r) => {
      setNotice(null)
      if (r.status === 'totp_required') return setStep('totp')
      await finish(r.redirect)
    },
  })
  const totp = useMutation({
    mutationFn: () => postJson('/auth/login/totp', { totp_code: code }, loginReply),
    onSuccess: (r) => finish(r.redirect),
    onError: (e) => {
      // the pending login lasts five minutes: start over with the reason shown
      if (e instanceof ApiError && /expired/i.test(e.message)) {
        setStep('password')
        setCode('')
        setNotice(e.message)
      }
    },
  })

  if (setup.isPending || session.isPending) return <Spinner />
  if (setup.data?.needs_setup) return <Navigate to="/setup" replace />
  const s = session.data
  if (s?.authenticated && s.logged_in && !s.broker_session_expired)
    return <Navigate to="/dashboard" replace />
  if (s?.authenticated) return <Navigate to="/broker" replace />

  if (step === 'totp')
    return (
      <AuthFrame title="Two-factor authentication">
        <form
          className="flex flex-col gap-4"
          onSubmit={(e: FormEvent) => {
            e.preventDefault()
            if (code.length === 6) totp.mutate()
          }}
        >
          <Field
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            pattern="[0-9]{6}"
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
            hint="The 6-digit code from your authenticator app."
            error={totp.isError ? messageOf(totp.error) : undefined}
          />
          <Button type="submit" busy={totp.isPending} disabled={code.length !== 6}>
            Verify
          </Button>
        </form>
      </AuthFrame>
    )

  return (
    <AuthFrame title="Log in">
      <form
        className="flex flex-col gap-4"
        onSubmit={(e: FormEvent) => {
          e.preventDefault()
          if (username.trim() && password) login.mutate()
        }}
      >
        {notice && (
          <p role="alert" className="rounded-md bg-warn/10 p-3 text-sm text-warn">
            {notice}
          </p>
        )}
        <Field
          label="Username"
          autoComplete="username"
          required
          autoFocus
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <div className="relative">
          <Field
            label="Password"
            type={show ? 'text' : 'password'}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            className="pr-10"
          />
          <button
            type="button"
            onClick={() => setShow((v) => !v)}
            aria-label={show ? 'Hide password' : 'Show password'}
            className="absolute top-8 right-2 rounded p-1 text-dim hover:text-fg"
          >
            {show ? <EyeOff className="size-4" /> : <Eye className="size-4" />}
          </button>
        </div>
        {login.isError && (
          <p role="alert" className="rounded-md bg-loss/10 p-3 text-sm text-loss">
            {messageOf(login.error)}
          </p>
        )}
        <Button type="submit" busy={login.isPending} disabled={!username.trim() || !password}>
          Log in
        </Button>
        <Link to="/reset-password" className="text-center text-sm text-accent">
          Forgot password?
        </Link>
      </form>
    </AuthFrame>
  )
}
