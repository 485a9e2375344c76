import type { BindOutcome } from '../usecases/bind.js'

/** What a caller is told of a success (attempts and duration go to the logs). */
export interface PublicOutcome {
  status: BindOutcome['status']
  instanceId: string
  securityGroupId: string
  region: string
  bceRequestId: string | undefined
}

/** The caller's view of an outcome. */
export function toPublicOutcome(outcome: BindOutcome): PublicOutcome {
  const { status, instanceId, securityGroupId, region, bceRequestId } = outcome
  return { status, instanceId, securityGroupId, region, bceRequestId }
}
