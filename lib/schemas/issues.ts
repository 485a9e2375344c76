import type { $ZodIssue } from 'zod/v4/core'
import type { FieldIssue } from '../errors/catalogue.js'

/** The field name used for issues about the input as a whole. */
const ROOT_FIELD = '(root)'

/**
 * Turns zod's issues into `{ field, message }` pairs: a dotted path per field, one entry per
 * unknown key, and never the offending value (it may be huge, or a secret).
 */
export function toFieldIssues(issues: readonly $ZodIssue[], prefix = ''): FieldIssue[] {
  return issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: path === '' ? key : `${path}.${key}`,
        message: 'is not allowed',
      }))
    }
    return [{ field: path === '' ? ROOT_FIELD : path, message: issue.message }]
  })
}
