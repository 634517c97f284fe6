// Building blocks of the env schema: each variable is a zod schema from its raw text (or
// undefined when unset) to a typed value, registered with the metadata the reference table and the
// problem messages use. Rules are small `parse` functions returning an outcome, so every message
// says what was wrong and what would be right, in one line.
import { z } from 'zod'
import type { EnvProblemCode } from './types.js'

/** Sections of the reference table (and of `.sample.env`). */
export type VarGroup =
  | 'Core, broker and URLs'
  | 'Secrets'
  | 'Storage'
  | 'HTTP server'
  | 'WebSocket feed and order updates'
  | 'Logging'
  | 'Rate limits'
  | 'Sessions and master contract'
  | 'Browser security'
  | 'Health monitor'

/** What the registry knows about one variable. */
export interface VarMeta {
  readonly name: string
  readonly group: VarGroup
  /** must be present (an empty value counts as present, as in the original) */
  readonly required: boolean
  /** the text used when the variable is unset, parsed by the same rule; null = none */
  readonly default: string | null
  /** the rule, in words, for the reference table */
  readonly rule: string
  /** a value to show in fix hints and docs */
  readonly example: string
  /** never printed */
  readonly secret: boolean
  /** the fix when the variable is missing; default "Add NAME = '<example>' to .env" */
  readonly missingFix?: string
}

/** Metadata of every variable of the schema, keyed by its zod schema. */
export const envRegistry = z.registry<VarMeta>()

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false
      readonly message: string
      /** defaults to "Set NAME = '<example>'." */
      readonly fix?: string
      /** defaults to the masked raw value */
      readonly found?: string
      readonly code?: EnvProblemCode
    }

export type Parser<T> = (raw: string, name: string) => Outcome<T>

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value }
}

export function bad(
  message: string,
  extra: { fix?: string; found?: string; code?: EnvProblemCode } = {},
): Outcome<never> {
  return { ok: false, message, ...extra }
}

/** Extra data a failed variable carries into its zod issue. */
export interface IssueParams {
  readonly fix: string
  readonly found?: string
  readonly code: EnvProblemCode
}

export type Field<T> = z.ZodType<T, string | undefined>

function build<T>(meta: VarMeta, parse: Parser<T>): Field<T | null> {
  const schema = z
    .string()
    .optional()
    .transform((raw, ctx): T | null => {
      const text = raw ?? meta.default ?? undefined
      if (text === undefined) {
        if (!meta.required) return null
        const params: IssueParams = {
          code: 'missing',
          fix: meta.missingFix ?? `Add ${meta.name} = '${meta.example}' to .env (see .sample.env).`,
        }
        ctx.addIssue({ code: 'custom', message: 'is required but missing', params })
        return z.NEVER
      }
      const out = parse(text, meta.name)
      if (out.ok) return out.value
      const params: IssueParams = {
        code: out.code ?? 'invalid',
        fix: out.fix ?? `Set ${meta.name} = '${meta.example}'.`,
        ...(out.found === undefined ? {} : { found: out.found }),
      }
      ctx.addIssue({ code: 'custom', message: out.message, params, input: raw })
      return z.NEVER
    })
  schema.register(envRegistry, meta)
  return schema
}

type Describe = Omit<VarMeta, 'name' | 'required' | 'default' | 'secret'> & { secret?: boolean }

/** A variable of the original's required list (§2.2): missing is a problem, empty is present. */
export function requiredVar<T>(name: string, meta: Describe, parse: Parser<T>): Field<T> {
  return build(
    { ...meta, name, secret: meta.secret ?? false, required: true, default: null },
    parse,
  ) as Field<T>
}

/** An optional variable whose default text goes through the same rule when it is unset. */
export function defaultedVar<T>(
  name: string,
  defaultText: string,
  meta: Describe,
  parse: Parser<T>,
): Field<T> {
  return build(
    { ...meta, name, secret: meta.secret ?? false, required: false, default: defaultText },
    parse,
  ) as Field<T>
}

/** An optional variable with no default: null when unset. */
export function optionalVar<T>(name: string, meta: Describe, parse: Parser<T>): Field<T | null> {
  return build(
    { ...meta, name, secret: meta.secret ?? false, required: false, default: null },
    parse,
  )
}
