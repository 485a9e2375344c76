import * as z from 'zod'

/**
 * An error body: `{ requestId, code, message }` in Baidu's common error format. Loose: only what
 * we read is checked, and each part may be missing (gateways answer with anything).
 */
export const BceErrorBodySchema = z.object({
  code: z.string().min(1).optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  requestId: z.string().optional().catch(undefined),
})

/** `GET /v2/instance/{id}`: the part we read, `instance.nicInfo.securityGroups`. */
export const InstanceDetailSchema = z.object({
  instance: z.object({
    nicInfo: z.object({
      securityGroups: z.array(z.string()),
    }),
  }),
})
