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

/**
 * `GET /v2/instance/{id}`: the part we read, `instance.nicInfo.securityGroups`, and what a dry
 * run reads: the status, the VPC and `nicInfo.enterpriseSecurityGroups` (Go SDK `NicInfo`).
 */
export const InstanceDetailSchema = lazySchema(() =>
  z.object({
    instance: z.object({
      status: z.catch(z.optional(z.string()), undefined),
      vpcId: z.catch(z.optional(z.string()), undefined),
      nicInfo: z.object({
        vpcId: z.catch(z.optional(z.string()), undefined),
        securityGroups: z.array(z.string()),
        enterpriseSecurityGroups: z.optional(z.array(z.string())),
      }),
    }),
  }),
)

/** `GET /v2/securityGroup`: the ids of one page and where the next one starts. */
export const SecurityGroupListSchema = lazySchema(() =>
  z.object({
    securityGroups: z.array(z.object({ id: z.string() })),
    isTruncated: z.catch(z.optional(z.boolean()), undefined),
    nextMarker: z.catch(z.optional(z.string()), undefined),
  }),
)
