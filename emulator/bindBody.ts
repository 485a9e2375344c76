import { ERROR_CODE, STATUS } from './constants.js'
import { errorReply } from './replies.js'
import type { Reply } from './types.js'

/**
 * Reads `{"securityGroupId": "g-..."}`, the body of bind and unbind: text that is not JSON
 * (an empty body included) is 400 `MalformedJSON`; JSON without a string `securityGroupId`
 * is 400 `InappropriateJSON` (both published common errors). Other fields are ignored.
 */
export function parseBindBody(text: string): { securityGroupId: string } | { reply: Reply } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return {
      reply: errorReply(STATUS.badRequest, ERROR_CODE.malformedJson, 'The body is not JSON'),
    }
  }
  const securityGroupId =
    typeof value === 'object' && value !== null && 'securityGroupId' in value
      ? value.securityGroupId
      : undefined
  if (typeof securityGroupId !== 'string') {
    return {
      reply: errorReply(
        STATUS.badRequest,
        ERROR_CODE.inappropriateJson,
        'The body must be an object with a string securityGroupId',
      ),
    }
  }
  return { securityGroupId }
}
