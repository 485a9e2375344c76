import * as z from 'zod/mini'

/** `i-` and 8 letters or digits, mixed case (`i-YufwpQAe`). */
export const INSTANCE_ID_PATTERN = /^i-[A-Za-z0-9]{8}$/

/** `g-` and 8 letters or digits (`g-nky7qeom`), or `g-` and 12 lower-case letters or digits. */
export const SECURITY_GROUP_ID_PATTERN = /^g-(?:[A-Za-z0-9]{8}|[a-z0-9]{12})$/

/** Enterprise security groups have their own, batch API; we refuse them with a clear message. */
const ENTERPRISE_SECURITY_GROUP_PREFIX = 'esg-'

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

/** A regular BCC security group id; an enterprise (`esg-`) id gets its own explanation. */
export const SecurityGroupIdSchema = requiredString("'g-' and 8 or 12 letters or digits").check(
  z.superRefine((value, ctx) => {
    if (SECURITY_GROUP_ID_PATTERN.test(value)) return
    const message = value.startsWith(ENTERPRISE_SECURITY_GROUP_PREFIX)
      ? 'is an enterprise security group (esg-): those are bound through another BCC API, which this project does not call yet'
      : "must be 'g-' followed by 8 letters or digits, or by 12 lower-case letters or digits, such as g-nky7qeom"
    ctx.addIssue({ code: 'custom', message, input: value })
  }),
)
