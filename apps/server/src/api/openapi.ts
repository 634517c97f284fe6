/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests (zod's
 * own JSON Schema output, which is what OpenAPI 3.1 speaks), so it cannot drift from the code.
 */
import { z } from 'zod'
import type { EndpointDefinition } from './endpoint.js'

export interface OpenApiInfo {
  readonly title: string
  readonly version: string
  readonly description: string
  readonly serverUrl: string
}

const ENVELOPE_ERROR = {
  type: 'object',
  required: ['status', 'message'],
  properties: { status: { const: 'error' }, message: {} },
}

/** Builds the document for `defs`, one operation each. */
export function buildOpenApiDocument(
  info: OpenApiInfo,
  defs: readonly EndpointDefinition[],
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const def of defs) {
    const path = `/api/v1${def.path.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`
    const schema = toSchema(def.input)
    const operation: Record<string, unknown> = {
      operationId: def.path.replace(/^\//, '').replace(/[/:{}]+/g, '_'),
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      tags: [...def.tags],
      responses: {
        '200': {
          description: 'Success (OpenAlgo envelope)',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { status: { const: 'success' } } },
              ...(def.example ? { example: def.example.response } : {}),
            },
          },
        },
        '400': {
          description: 'Invalid input',
          content: { 'application/json': { schema: ENVELOPE_ERROR } },
        },
        ...(def.auth === 'none'
          ? {}
          : {
              [String(def.auth === 'apikey' ? 403 : def.auth.status)]: {
                description: 'Invalid API key',
                content: { 'application/json': { schema: ENVELOPE_ERROR } },
              },
            }),
        ...(def.rateLimit === 'none'
          ? {}
          : {
              '429': {
                description: 'Rate limit exceeded',
                content: { 'application/json': { schema: ENVELOPE_ERROR } },
              },
            }),
      },
    }
    if (def.method === 'post') {
      operation['requestBody'] = {
        required: true,
        content: {
          'application/json': {
            schema,
            ...(def.example?.request ? { example: def.example.request } : {}),
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
    paths,
  }
}

function toSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  delete json['$schema']
  return json
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
