import { loginReply } from '@oa/web-contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Navigate, useNavigate } from 'react-router'
import { toast } from 'sonner'
import { AuthFrame } from '../components/layout.js'
import { PasswordRules, passwordOk } from '../components/password-rules.js'
import { Button, Field, Spinner } from '../components/ui.js'
import { messageOf, postJson } from '../lib/api.js'
import { keys, useSetup } from '../lib/queries.js'

/** First run (spec §3.1): create the one admin. Server refusals show in place (WS-1). */
export default function SetupPage() {
  const setup = useSetup()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [form, setForm] = useState({ username: '', email: '', password: '', confirm: '' })
  const [secret, setSecret] = useState<string | null>(null)
  const create = useMutation({
    mutationFn: () =>
      postJson(
        '/setup',
        {
          username: form.username.trim(),
          email: form.email.trim(),
          password: form.password,
          confirm_password: form.confirm,
        },
        loginReply,
      ),
    onSuccess: (reply) => {
      void qc.invalidateQueries({ queryKey: keys.setup })
      toast.success('Account created successfully')
      setSecret(reply.totp?.secret ?? '')
    },
  })
  if (setup.isPending) return <Spinner />
  if (setup.data && !setup.data.needs_setup && secret === null)
    return <Navigate to="/login" replace />

  if (secret !== null)
    return (
      <AuthFrame title="Account created">
        <p className="text-sm text-dim">
          Your admin account is ready. Two-factor login is off; to use it later, add this secret to
          an authenticator app now or from Settings → Two-factor (shown again after your password).
        </p>
        {secret && (
          <code className="mt-3 block rounded-md bg-muted p-3 font-mono text-sm break-all">
            {secret}
          </code>
        )}
        <Button className="mt-5 w-full" onClick={() => navigate('/login', { replace: true })}>
          Continue to login
        </Button>
      </AuthFrame>
    )

  const mismatch = form.confirm.length > 0 && form.confirm !== form.password
  const ready =
    form.username.trim() &&
    form.email.trim() &&
    passwordOk(form.password) &&
    !mismatch &&
    form.confirm
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (ready) create.mutate()
  }
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }))
  return (
    <AuthFrame title="Set up oa">
      <p className="mb-4 text-sm text-dim">Create the admin account for this installation.</p>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <Field
          label="Username"
          autoComplete="username"
          placeholder="Choose a username"
          required
          value={form.username}
          onChange={set('username')}
        />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set('email')}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={form.password}
          onChange={set('password')}
        />
        <PasswordRules password={form.password} />
        <Field
          label="Confirm password"
          type="password"
          autoComplete="new-password"
          required
          value={form.confirm}
          onChange={set('confirm')}
          error={mismatch ? 'Passwords do not match' : undefined}
          hint={form.confirm && !mismatch ? 'Passwords match' : undefined}
        />
        {create.isError && (
          <p role="alert" className="rounded-md bg-loss/10 p-3 text-sm text-loss">
            {messageOf(create.error)}
          </p>
        )}
        <Button type="submit" busy={create.isPending} disabled={!ready}>
          Create account
        </Button>
      </form>
    </AuthFrame>
  )
}
