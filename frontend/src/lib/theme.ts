import { useSyncExternalStore } from 'react'

export type Theme = 'light' | 'dark'
const KEY = 'oa-theme'
const listeners = new Set<() => void>()

function initial(): Theme {
  try {
    const saved = localStorage.getItem(KEY)
    if (saved === 'light' || saved === 'dark') return saved
  } catch {
    // storage blocked: follow the system
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

let theme: Theme = initial()

/** Applies the theme class; called once before the first render (no inline script: CSP). */
export function applyTheme(next: Theme = theme): void {
  theme = next
  document.documentElement.classList.toggle('dark', next === 'dark')
  for (const l of listeners) l()
}

export function setTheme(next: Theme): void {
  try {
    // a display preference, never a credential (the browser holds no key or token)
    localStorage.setItem(KEY, next)
  } catch {
    // not persisted; still applied
  }
  applyTheme(next)
}

export function useTheme(): Theme {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    () => theme,
  )
}

/** The analyzer accent on <html>, so every page re-themes at once (spec F10). */
export function applyMode(mode: 'live' | 'analyze'): void {
  document.documentElement.classList.toggle('analyzer', mode === 'analyze')
}
