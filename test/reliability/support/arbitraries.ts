import fc from 'fast-check'
import { REGIONS } from '../../../lib/bcc/endpoints.js'
import { TEST_SEED } from '../../support/functionHarness.js'

/**
 * fast-check generators of bind requests and of the events that carry them: mostly valid ones
 * with a few mutations (wrong types, huge strings, path and query characters in ids, unicode,
 * missing and extra fields), wrapped in the envelopes AWS uses, or replaced by events of the
 * wrong shape.
 */

export { PROPERTY_SEED } from '../../support/propertySeed.js'

const SEEDED_INSTANCES = TEST_SEED.instances.map((instance) => instance.id)
const SEEDED_GROUPS = TEST_SEED.securityGroups.map((group) => group.id)

/** What must never reach a URL: path, query and fragment characters, controls, look-alikes. */
const HOSTILE_PIECES = [
  '/',
  '/../',
  '..',
  '?',
  '?unbind',
  '&bind',
  '#',
  '%2F',
  '%2e%2e',
  '%00',
  '\u0000',
  '\n',
  '\r\n',
  ' ',
  '\t',
  '=',
  ';',
  '\\',
  '@',
  ':',
  '+',
  '\u202e',
  '\u200b',
  '\ufeff',
  'é',
  'İ',
  'Ａ',
  '😀',
  '\ud800',
]

/** Mostly ASCII, sometimes any code point (lone surrogates included) or grapheme. */
const anyString = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
  )

/** Strings of 16 KB to 160 KB. */
const hugeString = fc
  .tuple(fc.integer({ min: 16 * 1024, max: 160 * 1024 }), fc.constantFrom('A', 'é', '/', '0'))
  .map(([length, unit]) => unit.repeat(length))

/** Values of every JSON type but the expected one, and the odd non-JSON one. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
)

const insertAt = ([text, piece, at]: [string, string, number]) =>
  text.slice(0, at % (text.length + 1)) + piece + text.slice(at % (text.length + 1))

function idArbitraries(prefix: 'i-' | 'g-', seeded: string[], valid: RegExp) {
  const good = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...seeded) },
    { weight: 1, arbitrary: fc.stringMatching(valid) },
  )
  const bad = fc.oneof(
    fc.tuple(good, fc.constantFrom(...HOSTILE_PIECES), fc.nat()).map(insertAt),
    fc.tuple(good, fc.constantFrom(...HOSTILE_PIECES)).map(([id, piece]) => id + piece),
    good.map((id) => id.toUpperCase()),
    good.map((id) => ` ${id}`),
    good.map((id) => id.slice(0, -1)),
    good.map((id) => `${id}0`),
    fc.stringMatching(/^[a-z]{0,4}-[A-Za-z0-9]{8}$/),
    anyString(24).map((text) => prefix + text),
    anyString(24),
    hugeString.map((text) => prefix + text),
    fc.constantFrom('', prefix, 'esg-ABCDEFGH1234', 'sg-12345678', 'null', 'undefined'),
  )
  return { good, bad }
}

const instanceIds = idArbitraries('i-', SEEDED_INSTANCES, /^i-[A-Za-z0-9]{8}$/)
const groupIds = idArbitraries('g-', SEEDED_GROUPS, /^g-(?:[A-Za-z0-9]{8}|[a-z0-9]{12})$/)
const badRegion = fc.oneof(
  fc.constantFrom('BJ', 'bj ', 'cn-north-1', 'bj/../gz', 'evil.example.com', '', 'sin\u0000'),
  anyString(12),
)
const badDryRun = fc.constantFrom('true', 'false', 1, 0, 'yes', null, [] as unknown[], {})

/** A bind request the schema accepts. */
const validBindRequest = fc.record(
  {
    instanceId: instanceIds.good,
    securityGroupId: groupIds.good,
    region: fc.constantFrom(...REGIONS),
    dryRun: fc.boolean(),
  },
  { requiredKeys: ['instanceId', 'securityGroupId'] },
)

/** Keys a request must not carry (unknown, look-alike, prototype-polluting, huge). */
const extraKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'instanceid',
    'InstanceId',
    'securityGroupIds',
    'instanceId ',
    'détail',
    '',
  ),
  anyString(16),
)

type Mutation = (request: Record<string, unknown>) => Record<string, unknown>

/** Sets an own property, even `__proto__`, as JSON.parse would. */
function withField(request: Record<string, unknown>, key: string, value: unknown) {
  const copy = { ...request }
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true })
  return copy
}

const FIELDS = ['instanceId', 'securityGroupId', 'region', 'dryRun'] as const

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...FIELDS).map(
    (field): Mutation =>
      ({ [field]: _, ...rest }) =>
        rest,
  ),
  fc.tuple(fc.constantFrom(...FIELDS), wrongType).map(
    ([field, value]): Mutation =>
      (request) =>
        withField(request, field, value),
  ),
  instanceIds.bad.map(
    (value): Mutation =>
      (request) =>
        withField(request, 'instanceId', value),
  ),
  groupIds.bad.map(
    (value): Mutation =>
      (request) =>
        withField(request, 'securityGroupId', value),
  ),
  badRegion.map(
    (value): Mutation =>
      (request) =>
        withField(request, 'region', value),
  ),
  badDryRun.map(
    (value): Mutation =>
      (request) =>
        withField(request, 'dryRun', value),
  ),
  fc.tuple(extraKey, fc.jsonValue({ maxDepth: 2 })).map(
    ([key, value]): Mutation =>
      (request) =>
        withField(request, key, value),
  ),
)

/** A valid request, or one with one to three mutations (valid now and then by chance). */
const mutatedBindRequest: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 2, arbitrary: validBindRequest },
  {
    weight: 3,
    arbitrary: fc
      .tuple(validBindRequest, fc.array(mutation, { minLength: 1, maxLength: 3 }))
      .map(([request, mutations]) =>
        mutations.reduce<Record<string, unknown>>((current, mutate) => mutate(current), request),
      ),
  },
)

/** Payloads that are not an object at all. */
const wrongShapePayload = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  validBindRequest.map((request) => [request]),
  validBindRequest.map((request) => ({ request })),
  validBindRequest.map((request) => JSON.stringify(request)),
  hugeString,
)

/** A bind payload: mostly a request (valid or mutated), sometimes something else entirely. */
export const bindPayload: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: mutatedBindRequest },
  { weight: 1, arbitrary: wrongShapePayload },
)

/** An EventBridge event around `detail`. */
export const eventBridge = (detail: unknown) => ({
  version: '0',
  id: 'c7d1e2f3-a4b5-4c6d-8e7f-9a0b1c2d3e4f',
  'detail-type': 'BindSecurityGroup',
  source: 'acme.incidents',
  account: '123456789012',
  time: '2026-11-29T03:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail,
})

/** An SNS notification (as SQS receives it without raw delivery) carrying `message`. */
const snsNotification = (message: unknown) => ({
  Type: 'Notification',
  MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
  TopicArn: 'arn:aws:sns:eu-west-1:123456789012:bcc-sg-binder-requests',
  Message: message,
  Timestamp: '2026-11-29T03:00:00.000Z',
})

type Wrap = (payload: unknown) => unknown

/** The envelopes a payload may travel in, intact or broken. */
const envelope: fc.Arbitrary<Wrap> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Wrap>((payload) => payload) },
  { weight: 2, arbitrary: fc.constant<Wrap>(eventBridge) },
  {
    weight: 2,
    arbitrary: fc.constant<Wrap>((payload) => snsNotification(JSON.stringify(payload) ?? '')),
  },
  {
    weight: 1,
    arbitrary: fc.constant<Wrap>((payload) =>
      eventBridge(snsNotification(JSON.stringify(payload) ?? '')),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      anyString(40).map(
        (text): Wrap =>
          () =>
            snsNotification(text),
      ),
      wrongType.map(
        (value): Wrap =>
          (payload) => ({ ...eventBridge(payload), 'detail-type': value }),
      ),
      wrongType.map(
        (value): Wrap =>
          (payload) => ({ ...eventBridge(payload), source: value }),
      ),
      fc.constant<Wrap>((payload) => {
        const { detail: _, ...rest } = eventBridge(payload)
        return rest
      }),
      wrongType.map(
        (value): Wrap =>
          () =>
            snsNotification(value),
      ),
      fc.constant<Wrap>((payload) => ({
        ...snsNotification(JSON.stringify(payload)),
        Type: 'SubscriptionConfirmation',
      })),
    ),
  },
)

/** A payload in an envelope. */
export const enveloped: fc.Arbitrary<unknown> = fc
  .tuple(bindPayload, envelope)
  .map(([payload, wrap]) => wrap(payload))

/** Any value at all: what a misconfigured trigger or a hand-made invocation may send. */
export const anyEvent: fc.Arbitrary<unknown> = fc.anything({ maxDepth: 3 })

/** An SQS message body: usually JSON of an enveloped payload, sometimes not JSON at all. */
const sqsBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: enveloped.map((value) => JSON.stringify(value) ?? '') },
  { weight: 1, arbitrary: anyString(80) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', 'null', '{"instanceId": "i-YufwpQAe",') },
)

/** A webhook body: usually JSON of a (mutated) request, sometimes not JSON, sometimes huge. */
export const webhookBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: bindPayload.map((value) => JSON.stringify(value) ?? '') },
  { weight: 1, arbitrary: anyString(80) },
  {
    weight: 1,
    // A valid request padded with white space to around the 16 KB limit, on both sides.
    arbitrary: fc
      .integer({ min: 16 * 1024 - 120, max: 17 * 1024 })
      .map(
        (length) =>
          `{"instanceId":"i-7Gx2kQpZ",${' '.repeat(length)}"securityGroupId":"g-nky7qeom"}`,
      ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', 'null', '[]', '{}', '"i-YufwpQAe"', '{"instanceId": '),
  },
)

/** `arbitrary` once in `odds` draws, else undefined. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, odds: number) =>
  fc.oneof({ weight: odds - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary })

/** Ways to spoil one SQS record (rarely used: each makes the whole event invalid). */
const recordMutation = fc.constantFrom<
  (record: Record<string, unknown>) => Record<string, unknown>
>(
  ({ body: _, ...rest }) => rest,
  (record) => ({ ...record, body: 42 }),
  ({ attributes: _, ...rest }) => rest,
  ({ eventSourceARN: _, ...rest }) => rest,
  (record) => ({ ...record, messageId: '' }),
  (record) => ({
    ...record,
    attributes: { ...(record.attributes as object), ApproximateReceiveCount: 1 },
  }),
  (record) => ({ ...record, extra: { nested: [1, 2, 3] }, eventSource: 'aws:kinesis' }),
)

/** The recipe of one SQS record; `sqsEventOf` builds it on a sample record. */
const sqsRecordRecipe = fc.record({
  messageId: fc.oneof(
    { weight: 12, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom('same-id', 'a') },
    { weight: 1, arbitrary: anyString(20).filter((text) => text !== '') },
  ),
  body: sqsBody,
  group: fc.constantFrom('group-a', 'group-b', undefined),
  spoil: rarely(recordMutation, 30),
})

/** A batch recipe: its records, whether it comes from a FIFO queue, and an event-level spoiler. */
export const sqsBatchRecipe = fc.record({
  fifo: fc.oneof(
    { weight: 4, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  records: fc.array(sqsRecordRecipe, { maxLength: 4 }),
  spoil: rarely(
    fc.constantFrom<(event: Record<string, unknown>) => unknown>(
      (event) => ({ ...event, Records: JSON.stringify(event.Records) }),
      (event) => ({ ...event, Records: { 0: (event.Records as unknown[])[0] } }),
      () => ({ Records: null }),
      (event) => ({ ...event, extra: 'ignored', Records: event.Records }),
      (event) => [event],
    ),
    40,
  ),
})
