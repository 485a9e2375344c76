import type { BccClient } from '../bcc/client.js'
import type { Region } from '../bcc/regions.js'
import { type RetryPolicy, type RetryTiming, retry } from '../bcc/retry.js'
import { systemClock } from '../clock.js'
import { parseBindRequest } from '../schemas/bindRequest.js'
import {
  fromBceFailure,
  guessNotFoundSubject,
  isNotFound,
  type NotFoundSubject,
} from './fromBceFailure.js'

/** What `bind` needs from its surroundings; the functions build it once per invocation. */
export interface BindDependencies {
  /** The BCC client for a region (see `createClientResolver`). */
  clientFor(region: Region): BccClient
  /** The region used when the request names none. */
  defaultRegion: Region
  retryPolicy: RetryPolicy
  /** Epoch milliseconds by which every BCC call must have ended. */
  deadline: number
  timing?: RetryTiming
}

/** A definite, successful outcome. `would-bind` only answers a dry run. */
export interface BindOutcome {
  status: 'bound' | 'already-bound' | 'would-bind'
  instanceId: string
  securityGroupId: string
  region: Region
  /** The request id of the call that settled the outcome (the bind, or the read after it). */
  bceRequestId: string | undefined
  /** Bind attempts made (in a dry run: attempts to read the instance). */
  attempts: number
  durationMs: number
}

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

/**
 * Binds an instance to a security group, retrying within the deadline.
 *
 * What BCC answers to a duplicate bind is not published, and a dropped connection leaves an
 * attempt's fate unknown. So whenever the bind does not succeed, the instance's groups are read
 * once (if the deadline allows): if the group is there the outcome is `already-bound`, not an
 * error. The same read tells an unknown instance from an unknown security group.
 *
 * A dry run (`dryRun: true`) binds nothing: it reads the instance's groups (with the same
 * retries) and answers `already-bound` or `would-bind`.
 *
 * @param options.fieldPrefix where the request sits in its event (`body.detail`), for the
 *   paths of validation issues
 * @throws a catalogued error (`ValidationError`, `InstanceNotFound`, `BceUnavailable`, ...).
 */
export async function bind(
  input: unknown,
  deps: BindDependencies,
  options: { fieldPrefix?: string } = {},
): Promise<BindOutcome> {
  const request = parseBindRequest(input, options.fieldPrefix)
  const { instanceId, securityGroupId } = request
  const region = request.region ?? deps.defaultRegion
  const client = deps.clientFor(region)
  const clock = deps.timing?.clock ?? systemClock
  const started = clock.now()
  const settled = (
    status: BindOutcome['status'],
    bceRequestId: string | undefined,
    attempts: number,
  ) => ({
    status,
    instanceId,
    securityGroupId,
    region,
    bceRequestId,
    attempts,
    durationMs: clock.now() - started,
  })

  if (request.dryRun === true) {
    const read = await retry(
      ({ timeoutMs }) => client.getInstanceSecurityGroups(instanceId, { timeoutMs }),
      deps.retryPolicy,
      deps.deadline,
      deps.timing,
    )
    if (!read.ok) throw fromBceFailure(read, 'instance')
    const status = read.value.value.includes(securityGroupId) ? 'already-bound' : 'would-bind'
    return settled(status, read.value.requestId, read.attempts)
  }

  const result = await retry(
    ({ timeoutMs }) => client.bindSecurityGroup(instanceId, securityGroupId, { timeoutMs }),
    deps.retryPolicy,
    deps.deadline,
    deps.timing,
  )
  if (result.ok) return settled('bound', result.value.requestId, result.attempts)

  const check = await readGroupsOnce(client, instanceId, deps)
  if (check.kind === 'read' && check.groups.includes(securityGroupId)) {
    return settled('already-bound', check.requestId, result.attempts)
  }
  throw fromBceFailure(result, notFoundSubject(result.error, check))
}

type GroupsCheck =
  | { kind: 'read'; groups: string[]; requestId: string | undefined }
  | { kind: 'failed'; error: unknown }
  | { kind: 'skipped' }

/** One read of the instance's groups, only if an attempt still fits before the deadline. */
async function readGroupsOnce(
  client: BccClient,
  instanceId: string,
  deps: BindDependencies,
): Promise<GroupsCheck> {
  const clock = deps.timing?.clock ?? systemClock
  const left = deps.deadline - clock.now()
  if (left < deps.retryPolicy.minAttemptMs) return { kind: 'skipped' }
  try {
    const read = await client.getInstanceSecurityGroups(instanceId, {
      timeoutMs: Math.min(deps.retryPolicy.attemptTimeoutMs, left),
    })
    return { kind: 'read', groups: read.value, requestId: read.requestId }
  } catch (error) {
    return { kind: 'failed', error }
  }
}

/** The instance exists if we could read it; then a not-found is about the group. */
function notFoundSubject(bindError: unknown, check: GroupsCheck): NotFoundSubject {
  if (check.kind === 'read') return 'securityGroup'
  if (check.kind === 'failed' && isNotFound(check.error)) return 'instance'
  return isNotFound(bindError) ? guessNotFoundSubject(bindError) : 'instance'
}
