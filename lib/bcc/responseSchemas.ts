import * as z from 'zod/mini'
import { lazySchema } from '../lazySchema.js'

/**
 * An error body: `{ requestId, code, message }` in Baidu's common error format. Loose: only what
 * we read is checked, and each part may be missing (gateways answer with anything).
 */
export const BceErrorBodySchema = lazySchema(() =>
  z.object({
    code: z.catch(z.optional(z.string().check(z.minLength(1))), undefined),
    message: z.catch(z.optional(z.string()), undefined),
    requestId: z.catch(z.optional(z.string()), undefined),
  }),
)

/** `GET /v2/instance/{id}`: the part we read, `instance.nicInfo.securityGroups`. */
export const InstanceDetailSchema = lazySchema(() =>
  z.object({
    instance: z.object({
      nicInfo: z.object({
        securityGroups: z.array(z.string()),
      }),
    }),
  }),
)
