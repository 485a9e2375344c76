import { createHash, randomUUID } from 'node:crypto'
import {
  type BccClient,
  createBccClient,
  ENTERPRISE_SECURITY_GROUP_ID_PATTERN,
  type InstanceGroups,
} from '../bcc/client.js'
import { type Region, regionEndpoint } from '../bcc/endpoints.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryTiming, retry } from '../bcc/retry.js'
import type { HttpTransport } from '../bcc/transport.js'
import type { Credentials } from '../bce/types.js'
import { type Clock, systemClock } from '../clock.js'
import {
  type BceErrorContext,
  InstanceExpired,
  InstanceNotFound,
  LastSecurityGroup,
  SecurityGroupKindConflict,
  SecurityGroupLimitExceeded,
  SecurityGroupNotFound,
} from '../errors/catalogue.js'
import { type BindRequest, parseBindRequest } from '../schemas/bindRequest.js'
import type { BccSettings } from '../schemas/config.js'
import {
  fromBceFailure,
  guessNotFoundSubject,
  isNotFound,
  type NotFoundSubject,
  serviceContext,
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

/**
 * One BCC client per region, created on first use and kept: build this once per container so
 * warm invocations reuse the clients and their connections.
 */
export function createClientResolver(
  config: BccSettings & { credentials: Credentials },
  options: { transport?: HttpTransport; clock?: Clock } = {},
): (region: Region) => BccClient {
  const clients = new Map<Region, BccClient>()
  return (region) => {
    let client = clients.get(region)
    if (client === undefined) {
      client = createBccClient({
        endpoint: config.endpointOverride ?? regionEndpoint(region),
        credentials: config.credentials,
        timeoutMs: config.timeoutMs,
        ...options,
      })
      clients.set(region, client)
    }
    return client
  }
}

/** The retry policy the configuration asks for. */
export function retryPolicyFrom(config: BccSettings): RetryPolicy {
  return {
    ...DEFAULT_RETRY_POLICY,
    maxAttempts: config.maxAttempts,
    baseDelayMs: config.retryBaseDelayMs,
    maxDelayMs: config.retryMaxDelayMs,
    attemptTimeoutMs: config.timeoutMs,
  }
}

/**
 * The time (epoch ms) by which the invocation must have its answer: Lambda's remaining time
 * less the margin the function keeps to answer before Lambda stops it.
 */
export function invocationDeadline(
  now: number,
  context: { getRemainingTimeInMillis(): number },
  marginMs: number,
): number {
  return now + context.getRemainingTimeInMillis() - marginMs
}

/** What the request asks: bind (the default) or unbind. */
type Action = NonNullable<BindRequest['action']>

/** A definite, successful outcome. `would-bind` and `would-unbind` only answer a dry run. */
export interface BindOutcome {
  status: 'bound' | 'already-bound' | 'would-bind' | 'unbound' | 'already-unbound' | 'would-unbind'
  instanceId: string
  securityGroupId: string
  region: Region
  /** The request id of the call that settled the outcome (the change, or the read after it). */
  bceRequestId: string | undefined
  /** Attempts of the change (in a dry run: attempts to read the instance). */
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

/** How `bind` is called by a trigger. */
export interface BindOptions {
  /** Where the request sits in its event (`body.detail`), for the paths of validation issues. */
  fieldPrefix?: string
  /**
   * What names this request across retries and redeliveries (the webhook's `webhook-id`, the
   * SQS `messageId`); without it, the request's own `requestId`. An enterprise group's
   * `clientToken` is derived from it.
   */
  identity?: string | undefined
}

/** Groups per instance, of each kind (Baidu's bind docs: at most 10). */
const MAX_GROUPS_PER_INSTANCE = 10

/**
 * A dry run lists the VPC's groups in pages this small: a group carries its rules, and each page
 * must stay within the client's body limit (`MAX_RESPONSE_BYTES`, 64 KB).
 */
const GROUP_LIST_PAGE_SIZE = 20

/**
 * Binds an instance to a security group, or unbinds it (`action: "unbind"`), retrying within
 * the deadline. A regular group (`g-`) uses `PUT /v2/instance/{id}?bind` or `?unbind`; an
 * enterprise group (`esg-`) the batch call `PUT /v2/securitygroup/{bind|unbind}` with one
 * instance, one group and a `clientToken` derived from the request's identity, so every retry
 * and redelivery carries the same token (docs/baidu.md).
 *
 * What BCC answers to a duplicate bind is not published, and a dropped connection leaves an
 * attempt's fate unknown. So whenever the change does not succeed, the instance is read once
 * (if the deadline allows): a bound group ends `already-bound`, an absent one after an unbind
 * `already-unbound`; a failed bind on an instance with groups of the other kind is
 * `SecurityGroupKindConflict`. An unbind first reads the instance: a group it does not have is
 * `already-unbound` without a call.
 *
 * A dry run (`dryRun: true`) changes nothing: it reads the instance (and, for a regular group
 * to bind, the groups of its VPC) and answers what the real call would: `would-bind`,
 * `would-unbind`, `already-...`, or the error, marked predicted (`details.dryRun`).
 *
 * @throws a catalogued error (`ValidationError`, `InstanceNotFound`, `LastSecurityGroup`,
 *   `BceUnavailable`, ...).
 */
export async function bind(
  input: unknown,
  deps: BindDependencies,
  options: BindOptions = {},
): Promise<BindOutcome> {
  const request = parseBindRequest(input, options.fieldPrefix)
  const { instanceId, securityGroupId } = request
  const action: Action = request.action ?? 'bind'
  const kind = groupKind(securityGroupId)
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
  const readInstance = async () => {
    const read = await retry(
      ({ timeoutMs }) => client.getInstance(instanceId, { timeoutMs }),
      deps.retryPolicy,
      deps.deadline,
      deps.timing,
    )
    if (read.ok) return { ...read.value, attempts: read.attempts }
    // Only a definite not-found is the instance's fate; a timeout is the read's own failure.
    if (request.dryRun === true && isNotFound(read.error)) {
      throw new InstanceNotFound(fromBceFailure(read, 'instance', action).message, {
        ...serviceContext(read.error),
        attempts: read.attempts,
        dryRun: true,
      })
    }
    throw fromBceFailure(read, 'instance', action)
  }

  if (request.dryRun === true) {
    const read = await readInstance()
    const status = await predict(action, kind, securityGroupId, read.value, client, deps)
    return settled(status, read.requestId, read.attempts)
  }

  if (action === 'unbind') {
    const before = await readInstance()
    if (!groupsOf(before.value, kind).includes(securityGroupId)) {
      return settled('already-unbound', before.requestId, 0)
    }
  }

  const clientToken =
    kind === 'enterprise'
      ? clientTokenFor(options.identity ?? request.requestId, action, instanceId, securityGroupId)
      : undefined
  const result = await retry(
    ({ timeoutMs }) =>
      clientToken !== undefined
        ? client.changeSecurityGroups(
            { action, instanceId, securityGroupId, securityGroupType: kind, clientToken },
            { timeoutMs },
          )
        : action === 'bind'
          ? client.bindSecurityGroup(instanceId, securityGroupId, { timeoutMs })
          : client.unbindSecurityGroup(instanceId, securityGroupId, { timeoutMs }),
    deps.retryPolicy,
    deps.deadline,
    deps.timing,
  )
  if (result.ok) {
    return settled(action === 'bind' ? 'bound' : 'unbound', result.value.requestId, result.attempts)
  }

  const check = await readInstanceOnce(client, instanceId, deps)
  if (check.kind === 'read') {
    const present = groupsOf(check.instance, kind).includes(securityGroupId)
    if (action === 'bind' && present) {
      return settled('already-bound', check.requestId, result.attempts)
    }
    if (action === 'unbind' && !present) {
      return settled('already-unbound', check.requestId, result.attempts)
    }
    if (action === 'bind' && groupsOf(check.instance, otherKind(kind)).length > 0) {
      throw kindConflict(check.instance, kind, {
        attempts: result.attempts,
        ...serviceContext(result.error),
      })
    }
  }
  throw fromBceFailure(result, notFoundSubject(result.error, check), action)
}

type GroupKind = 'enterprise' | 'normal'

function groupKind(securityGroupId: string): GroupKind {
  return ENTERPRISE_SECURITY_GROUP_ID_PATTERN.test(securityGroupId) ? 'enterprise' : 'normal'
}

function otherKind(kind: GroupKind): GroupKind {
  return kind === 'enterprise' ? 'normal' : 'enterprise'
}

/** `nicInfo.enterpriseSecurityGroups` for enterprise groups, `nicInfo.securityGroups` otherwise. */
function groupsOf(instance: InstanceGroups, kind: GroupKind): string[] {
  return kind === 'enterprise' ? instance.enterpriseSecurityGroups : instance.securityGroups
}

function kindConflict(
  instance: InstanceGroups,
  kind: GroupKind,
  context: BceErrorContext,
): SecurityGroupKindConflict {
  const has = kind === 'enterprise' ? 'regular' : 'enterprise'
  const wanted = kind === 'enterprise' ? 'an enterprise' : 'a regular'
  const count = groupsOf(instance, otherKind(kind)).length
  return new SecurityGroupKindConflict(
    `The instance uses ${has} security groups (${count}); it cannot also have ${wanted} one`,
    context,
  )
}

/**
 * Baidu's `clientToken` (at most 64 ASCII characters) for this request: a hash of its identity,
 * action, instance and group, so the same request always carries the same token and another
 * request never does; without an identity, a random one (retries within this invocation still
 * share it).
 */
function clientTokenFor(
  identity: string | undefined,
  action: Action,
  instanceId: string,
  securityGroupId: string,
): string {
  if (identity === undefined) return `bsb-r-${randomUUID()}`
  const digest = createHash('sha256')
    .update(JSON.stringify([identity, action, instanceId, securityGroupId]))
    .digest('hex')
  return `bsb-${digest}`.slice(0, 64)
}

/** What the real call would answer, from the instance (and the VPC's groups for a regular bind). */
async function predict(
  action: Action,
  kind: GroupKind,
  securityGroupId: string,
  instance: InstanceGroups,
  client: BccClient,
  deps: BindDependencies,
): Promise<BindOutcome['status']> {
  const groups = groupsOf(instance, kind)
  const predicted = { dryRun: true }
  if (action === 'unbind') {
    if (!groups.includes(securityGroupId)) return 'already-unbound'
    if (groups.length <= 1) {
      throw new LastSecurityGroup(
        'The instance has no other security group of this kind; it must keep one',
        predicted,
      )
    }
    return 'would-unbind'
  }
  if (groups.includes(securityGroupId)) return 'already-bound'
  if (kind === 'normal' && instance.vpcId !== undefined) {
    const exists = await vpcHasGroup(client, instance.vpcId, securityGroupId, deps)
    if (!exists) {
      throw new SecurityGroupNotFound(
        "The security group is not among the instance VPC's groups",
        predicted,
      )
    }
  }
  if (instance.status === 'Expired') {
    throw new InstanceExpired('The instance is expired; BCC refuses to bind it', predicted)
  }
  if (groupsOf(instance, otherKind(kind)).length > 0) {
    throw kindConflict(instance, kind, predicted)
  }
  if (groups.length >= MAX_GROUPS_PER_INSTANCE) {
    throw new SecurityGroupLimitExceeded(
      `The instance already has ${groups.length} security groups, the most BCC allows`,
      predicted,
    )
  }
  return 'would-bind'
}

/** Reads the VPC's regular groups page by page, until the group is found or the list ends. */
async function vpcHasGroup(
  client: BccClient,
  vpcId: string,
  securityGroupId: string,
  deps: BindDependencies,
): Promise<boolean> {
  const seen = new Set<string>()
  let marker: string | undefined
  for (;;) {
    const page = await retry(
      ({ timeoutMs }) =>
        client.listSecurityGroups({ vpcId, marker, maxKeys: GROUP_LIST_PAGE_SIZE }, { timeoutMs }),
      deps.retryPolicy,
      deps.deadline,
      deps.timing,
    )
    if (!page.ok) throw fromBceFailure(page, 'securityGroup')
    if (page.value.value.ids.includes(securityGroupId)) return true
    marker = page.value.value.nextMarker
    // A marker seen before would loop for ever: the list has ended as far as we can tell.
    if (marker === undefined || seen.has(marker)) return false
    seen.add(marker)
  }
}

type InstanceCheck =
  | { kind: 'read'; instance: InstanceGroups; requestId: string | undefined }
  | { kind: 'failed'; error: unknown }
  | { kind: 'skipped' }

/**
 * One read of the instance, only if an attempt still fits before the deadline: the retry loop
 * held to one attempt, which skips it when too little time is left.
 */
async function readInstanceOnce(
  client: BccClient,
  instanceId: string,
  deps: BindDependencies,
): Promise<InstanceCheck> {
  const read = await retry(
    ({ timeoutMs }) => client.getInstance(instanceId, { timeoutMs }),
    { ...deps.retryPolicy, maxAttempts: 1 },
    deps.deadline,
    deps.timing,
  )
  if (read.ok) return { kind: 'read', instance: read.value.value, requestId: read.value.requestId }
  return read.attempts === 0 ? { kind: 'skipped' } : { kind: 'failed', error: read.error }
}

/** The instance exists if we could read it; then a not-found is about the group. */
function notFoundSubject(changeError: unknown, check: InstanceCheck): NotFoundSubject {
  if (check.kind === 'read') return 'securityGroup'
  if (check.kind === 'failed' && isNotFound(check.error)) return 'instance'
  return isNotFound(changeError) ? guessNotFoundSubject(changeError) : 'instance'
}
