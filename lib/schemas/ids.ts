import * as z from 'zod/mini'
import {
  ENTERPRISE_SECURITY_GROUP_ID_PATTERN,
  INSTANCE_ID_PATTERN,
  SECURITY_GROUP_ID_PATTERN,
} from '../bcc/client.js'

const requiredString = (what: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? 'is required' : `must be a string (${what})`),
  })

/** A BCC instance id. */
export const InstanceIdSchema = requiredString("'i-' and 8 letters or digits").check(
  z.regex(INSTANCE_ID_PATTERN, {
    error: "must be 'i-' followed by 8 letters or digits, such as i-YufwpQAe",
  }),
)

const SECURITY_GROUP_RULE =
  "must be 'g-' followed by 8 letters or digits, or by 12 lower-case letters or digits (g-nky7qeom), or 'esg-' followed by 12 lower-case letters or digits (esg-9pmkwq3rt2ab)"

/** A regular (`g-`) or an enterprise (`esg-`) BCC security group id. */
export const SecurityGroupIdSchema = requiredString("'g-' or 'esg-' and letters or digits").check(
  z.refine(
    (value) =>
      SECURITY_GROUP_ID_PATTERN.test(value) || ENTERPRISE_SECURITY_GROUP_ID_PATTERN.test(value),
    { error: SECURITY_GROUP_RULE },
  ),
)
