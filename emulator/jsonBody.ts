import type * as z from 'zod'
import { toFieldIssues } from '../lib/schemas/issues.js'
import { ERROR_CODE, STATUS } from './constants.js'
import { describeIssues } from './errors.js'
import { errorReply } from './replies.js'
import type { Reply } from './types.js'

/**
 * Parses a JSON body with `schema`: text that is not JSON (an empty body included) is 400
 * `MalformedJSON`; JSON of the wrong shape 400 `InappropriateJSON`, naming each bad field (both
 * published common errors).
 */
export function parseJsonBody<T extends z.ZodType>(
  text: string,
  schema: T,
): { value: z.infer<T> } | Reply {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return errorReply(STATUS.badRequest, ERROR_CODE.malformedJson, 'The body is not JSON')
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    return errorReply(
      STATUS.badRequest,
      ERROR_CODE.inappropriateJson,
      describeIssues(toFieldIssues(parsed.error.issues)),
    )
  }
  return { value: parsed.data }
}
