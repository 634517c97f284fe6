import { useMutation } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { toast } from 'sonner'
import { z } from 'zod'
import { AuthFrame } from '../components/layout.js'
import { PasswordRules, passwordOk } from '../components/password-rules.js'
import { Button, Field } from '../components/ui.js'
import { messageOf, postJson } from '../lib/api.js'

const reply = z.object({
  status: z.string(),
  message: z.string().optional(),
  token: z.string().optional(),
})

/**
 * Password reset with the authenticator (spec §3.14, the P0 path): email and a current code
 * give a one-time token, then the new password. Email links are not offered (no SMTP in oa).
 */
export default function ResetPasswordPage() {
  const navigate = useNavigate()
  const [email, setEmail] = useState('')
  const [code, setCode] = useState('')
  const [token, setToken] = useState<string | null>(null)
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const verify = useMutation({
    mutationFn: async () => {
      await postJson('/auth/reset-password', { step: 'email', email }, reply)
      await postJson('/auth/reset-password', { step: 'select_totp', email }, reply)
      return postJson('/auth/reset-password', { step: 'totp', email, totp_code: code }, reply)
    },
    onSuccess: (r) => setToken(r.token ?? null),
  })
  const reset = useMutation({
    mutationFn: () =>
      postJson('/auth/reset-password', { step: 'password', email, token, password }, reply),
    onSuccess: () => {
      toast.success('Your password has been reset. Log in with the new one.')
      navigate('/login', { replace: true })
    },
  })
  if (token === null)
    return (
      <AuthFrame title="Reset password">
        <form
          className="flex flex-col gap-4"
          onSubmit={(e: FormEvent) => {
            e.preventDefault()
            if (email && code.length === 6) verify.mutate()
          }}
        >
          <p className="text-sm text-dim">
            Enter your account email and the current code from your authenticator app.
          </p>
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <Field
            label="Authenticator code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
          />
          {verify.isError && (
            <p role="alert" className="rounded-md bg-loss/10 p-3 text-sm text-loss">
              {messageOf(verify.error)}
            </p>
          )}
          <Button type="submit" busy={verify.isPending} disabled={!email || code.length !== 6}>
            Verify
          </Button>
          <Link to="/login" className="text-center text-sm text-accent">
            Back to login
          </Link>
        </form>
      </AuthFrame>
    )
  const mismatch = confirm.length > 0 && confirm !== password
  return (
    <AuthFrame title="Choose a new password">
      <form
        className="flex flex-col gap-4"
        onSubmit={(e: FormEvent) => {
          e.preventDefault()
          if (passwordOk(password) && password === confirm) reset.mutate()
        }}
      >
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <PasswordRules password={password} />
        <Field
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={mismatch ? 'Passwords do not match' : undefined}
        />
        {reset.isError && (
          <p role="alert" className="rounded-md bg-loss/10 p-3 text-sm text-loss">
            {messageOf(reset.error)}
          </p>
        )}
        <Button
          type="submit"
          busy={reset.isPending}
          disabled={!passwordOk(password) || password !== confirm}
        >
          Reset password
        </Button>
      </form>
    </AuthFrame>
  )
}
