import { isDeepStrictEqual } from 'node:util'

/** One conformance check: an id from the spec table, a title, and a body that throws on failure. */
export interface ConformanceCheck {
  /** spec row, e.g. `brokers.md §4 #4` */
  id: string
  title: string
  run(): Promise<void>
}

/** The outcome of one check. */
export interface CheckResult {
  id: string
  title: string
  status: 'pass' | 'fail' | 'skip'
  /** failure or skip reason */
  message?: string
}

/** Thrown by a check to skip itself (the fixture does not provide what it needs). */
export class CheckSkipped extends Error {
  override readonly name = 'CheckSkipped'
}

/** Thrown by a check that found the broker non-conformant. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure'
}

/** Fails the current check. */
export function fail(message: string): never {
  throw new ConformanceFailure(message)
}

/** Skips the current check. */
export function skip(reason: string): never {
  throw new CheckSkipped(reason)
}

/** Fails unless `actual` deep-equals `expected`. */
export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

/** Fails unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message)
}

/** Fails unless a zod schema accepts the value, naming the first issues. */
export function assertSchema(
  schema: {
    safeParse(v: unknown): {
      success: boolean
      error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }
    }
  },
  value: unknown,
  what: string,
): void {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issues = (parsed.error?.issues ?? [])
      .slice(0, 3)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
      .join('; ')
    fail(
      `${what} does not match the normalized model (${issues}): ${JSON.stringify(value)?.slice(0, 300)}`,
    )
  }
}

/** Runs checks one after another and reports each (never throws). */
export async function runChecks(checks: readonly ConformanceCheck[]): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  for (const check of checks) {
    try {
      await check.run()
      results.push({ id: check.id, title: check.title, status: 'pass' })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      results.push({
        id: check.id,
        title: check.title,
        status: error instanceof CheckSkipped ? 'skip' : 'fail',
        message,
      })
    }
  }
  return results
}

/** The test-registration functions of a runner (vitest's `describe` and `it`). */
export interface TestRegistrar {
  describe(name: string, body: () => void): void
  it(name: string, body: () => Promise<void>): void
}

/**
 * Registers each check as a test: a failure throws with the check's message; a skip passes with
 * nothing asserted (the message says which fixture part is missing).
 */
export function registerChecks(
  suite: string,
  checks: readonly ConformanceCheck[],
  runner: TestRegistrar,
): void {
  runner.describe(suite, () => {
    for (const check of checks) {
      runner.it(`${check.title} (${check.id})`, async () => {
        try {
          await check.run()
        } catch (error) {
          if (error instanceof CheckSkipped) return
          throw error
        }
      })
    }
  })
}
