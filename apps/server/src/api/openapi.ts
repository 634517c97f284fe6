/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests (zod's
 * own JSON Schema output, which is what OpenAPI 3.1 speaks), so it cannot drift from the code.
 * Number fields are documented as `oneOf` number / numeric string (the official SDK sends every
 * number as a string). Examples are real simulator responses captured by the contract suite into
 * `openapi-examples.json` (regenerate with `OA_WRITE_EXAMPLES=1`, see test/contract/README.md).
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { EndpointDefinition } from './endpoint.js'
import { NUMERIC_META } from './wire.js'

export interface OpenApiInfo {
  readonly title: string
  readonly version: string
  readonly description: string
  readonly serverUrl: string
}

/** A captured request/response pair, keyed `METHOD /path` in the examples fixture. */
export interface CapturedExample {
  readonly request?: unknown
  readonly response: unknown
  readonly status?: number
}

const ENVELOPE_ERROR = {
  type: 'object',
  required: ['status', 'message'],
  properties: {
    status: { const: 'error' },
    message: { description: 'text, or the field → messages object on some endpoints' },
  },
}

const NUMBER_TEXT = '^\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*$'
const INTEGER_TEXT = '^\\s*[+-]?\\d+(\\.0*)?\\s*$'

let fixture: Record<string, CapturedExample> | null = null

/** The checked-in simulator examples (empty when the fixture is absent). */
export function capturedExamples(): Record<string, CapturedExample> {
  if (fixture) return fixture
  try {
    fixture = JSON.parse(
      readFileSync(new URL('./openapi-examples.json', import.meta.url), 'utf8'),
    ) as Record<string, CapturedExample>
  } catch {
    fixture = {}
  }
  return fixture
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: ENVELOPE_ERROR } } }
}

/** Builds the document for `defs`, one operation each. */
export function buildOpenApiDocument(
  info: OpenApiInfo,
  defs: readonly EndpointDefinition[],
  examples: Record<string, CapturedExample> = capturedExamples(),
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  const tags = new Set<string>()
  for (const def of defs) {
    const path = `/api/v1${def.path.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`
    const schema = toSchema(def.input)
    for (const t of def.tags) tags.add(t)
    const captured = examples[`${def.method.toUpperCase()} ${def.path}`]
    const example = captured ?? def.example
    const operation: Record<string, unknown> = {
      operationId: `${def.method}_${def.path.replace(/^\//, '').replace(/[/:{}]+/g, '_')}`,
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      tags: [...def.tags],
      responses: {
        '200': {
          description: 'Success (OpenAlgo envelope)',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['status'],
                properties: { status: { type: 'string' } },
              },
              ...(example ? { example: example.response } : {}),
            },
          },
        },
        '400': errorResponse('Invalid input (the message names the field)'),
        ...(def.auth === 'none'
          ? {}
          : {
              [String(def.auth === 'apikey' ? 403 : def.auth.status)]:
                errorResponse('Invalid API key'),
            }),
        '405': errorResponse('Wrong HTTP method for this path'),
        ...(def.rateLimit === 'none' ? {} : { '429': errorResponse('Rate limit exceeded') }),
        '500': errorResponse('Unexpected server error (the body carries a request id)'),
      },
    }
    if (def.method === 'post') {
      operation['requestBody'] = {
        required: true,
        content: {
          'application/json': {
            schema,
            ...(example?.request ? { example: example.request } : {}),
          },
        },
      }
    } else {
      operation['parameters'] = queryParameters(schema, def.path)
    }
    paths[path] = { ...(paths[path] ?? {}), [def.method]: operation }
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
  }
}

function toSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  delete json['$schema']
  return numericAlternatives(json) as Record<string, unknown>
}

/** Replaces every node marked {@link NUMERIC_META} by `oneOf` number | numeric string. */
function numericAlternatives(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(numericAlternatives)
  if (typeof node !== 'object' || node === null) return node
  const src = node as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(src)) {
    if (k !== NUMERIC_META) out[k] = numericAlternatives(v)
  }
  const kind = src[NUMERIC_META]
  if (kind !== 'number' && kind !== 'integer') return out
  const { type: _type, ...rest } = out
  const numeric: Record<string, unknown> = { type: kind }
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
    if (key in rest) {
      numeric[key] = rest[key]
      delete rest[key]
    }
  }
  return {
    ...rest,
    oneOf: [
      numeric,
      {
        type: 'string',
        pattern: kind === 'integer' ? INTEGER_TEXT : NUMBER_TEXT,
        description: `a ${kind} as text, as the official SDK sends it (e.g. "10")`,
      },
    ],
  }
}

function queryParameters(schema: Record<string, unknown>, path: string): unknown[] {
  const properties = (schema['properties'] ?? {}) as Record<string, unknown>
  const required = new Set((schema['required'] ?? []) as string[])
  const inPath = new Set([...path.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]))
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: inPath.has(name) ? 'path' : 'query',
    required: inPath.has(name) || required.has(name),
    schema: s,
  }))
}
