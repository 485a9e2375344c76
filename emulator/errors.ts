import type * as z from 'zod'
import type { FieldIssue } from '../lib/errors/catalogue.js'
import { toFieldIssues } from '../lib/schemas/issues.js'

/** `startEmulator`, `reset` or `setFaults` was given something invalid; `issues` says what. */
export class EmulatorOptionsError extends Error {
  override readonly name = 'EmulatorOptionsError'
  readonly issues: FieldIssue[]

  constructor(what: string, issues: FieldIssue[]) {
    super(`Invalid ${what}: ${describeIssues(issues)}`)
    this.issues = issues
  }
}

/** `field: why; field: why`, never the offending value. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')
}

/**
 * Parses `value` with `schema`.
 *
 * @throws EmulatorOptionsError naming every bad field, with `what` as the field prefix.
 */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value)
  if (!result.success) {
    throw new EmulatorOptionsError(what, toFieldIssues(result.error.issues, what))
  }
  return result.data
}

/** The message of anything thrown, for a one-line explanation. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
