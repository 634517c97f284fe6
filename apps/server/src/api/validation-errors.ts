/**
 * Renders zod issues the way OpenAlgo's marshmallow schemas report errors (spec api.md §3.2):
 * a dict `{field: [messages]}` with nested list items keyed by index, shown either as the dict
 * itself or as its Python `repr` (single quotes), depending on the endpoint.
 */
import type { z } from 'zod'

/** marshmallow's error dict: field → messages, or field → nested dict (list index keys are numbers). */
export interface ErrorDict {
  [key: string]: string[] | ErrorDict
}

/** Folds zod issues into a marshmallow-style dict, in the order zod reports them (schema order). */
export function toErrorDict(issues: readonly z.core.$ZodIssue[]): ErrorDict {
  const out: ErrorDict = {}
  for (const issue of issues) {
    const path = issue.path.length > 0 ? issue.path.map((p) => String(p)) : ['_schema']
    let node: ErrorDict = out
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i] as string
      const next = node[key]
      if (next && !Array.isArray(next)) {
        node = next
      } else {
        const child: ErrorDict = {}
        node[key] = child
        node = child
      }
    }
    const leaf = path[path.length - 1] as string
    const messages = node[leaf]
    const text = issue.message
    if (Array.isArray(messages)) {
      if (!messages.includes(text)) messages.push(text)
    } else {
      node[leaf] = [text]
    }
  }
  return out
}

/** Python `repr` of an error dict: `{'field': ['msg']}`, list-index keys bare (`{0: {...}}`). */
export function pythonRepr(value: ErrorDict | string[] | string): string {
  if (typeof value === 'string') return pyStr(value)
  if (Array.isArray(value)) return `[${value.map(pyStr).join(', ')}]`
  const parts = Object.entries(value).map(
    ([k, v]) => `${/^\d+$/.test(k) ? k : pyStr(k)}: ${pythonRepr(v)}`,
  )
  return `{${parts.join(', ')}}`
}

function pyStr(s: string): string {
  // Python prefers single quotes and switches to double quotes when the text holds a single quote only
  if (s.includes("'") && !s.includes('"')) return `"${s.replace(/\\/g, '\\\\')}"`
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}
