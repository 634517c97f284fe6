import { Component, type ErrorInfo, type ReactNode } from 'react'

/**
 * Catches a render error so nothing throws to a blank page: says what broke and offers a
 * reload. Keyed by route in the layout, so navigating away clears it.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null }

  static getDerivedStateFromError(error: Error) {
    return { error }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // the browser console is the only place a render error can go without a reporting route
    console.error('page error', error, info.componentStack)
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <div
        role="alert"
        className="mx-auto my-10 max-w-lg rounded-xl border border-loss/40 bg-surface p-6"
      >
        <h1 className="text-lg font-semibold text-loss">This page ran into a problem</h1>
        <p className="mt-2 text-sm text-dim">
          Your orders and positions are not affected: this is a display error. Reload the page, and
          if it keeps happening, note the message below.
        </p>
        <pre className="mt-3 overflow-x-auto rounded bg-muted p-3 text-xs">{error.message}</pre>
        <button
          type="button"
          className="mt-4 rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg"
          onClick={() => window.location.reload()}
        >
          Reload
        </button>
      </div>
    )
  }
}
