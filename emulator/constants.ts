/** The content type of every response, as BCC's response example writes it. */
export const CONTENT_TYPE_JSON = 'application/json;charset=UTF-8'

/** Response and request header names the emulator reads or writes (lower case). */
export const HEADER = {
  requestId: 'x-bce-request-id',
  contentType: 'content-type',
  contentLength: 'content-length',
  retryAfter: 'retry-after',
  allow: 'allow',
  securityToken: 'x-bce-security-token',
} as const

/** The one API version the emulator serves (`/v2/...`). */
export const API_VERSION = 'v2'

/** Paths and path patterns of the emulated API. */
export const API_PATH = {
  instance: /^\/v2\/instance\/([^/]+)$/,
  securityGroups: '/v2/securityGroup',
  /** The batch calls (published 2025-05-16): both kinds of group, several instances. */
  batchBind: '/v2/securitygroup/bind',
  batchUnbind: '/v2/securitygroup/unbind',
  /** Any versioned path: another version than v2 is `InvalidVersion`. */
  versioned: /^\/(v\d+)\//,
} as const

/** Where the unsigned control API lives. */
export const CONTROL_PREFIX = '/__emulator'

/** The control endpoints, below {@link CONTROL_PREFIX}. */
export const CONTROL_PATH = {
  reset: '/__emulator/reset',
  state: '/__emulator/state',
  faults: '/__emulator/faults',
  requests: '/__emulator/requests',
} as const

/** BCC's published limit of security groups per instance; the emulator applies it to either kind. */
export const MAX_GROUPS_PER_INSTANCE = 10

/** The batch calls' idempotence token: ASCII, at most 64 characters (published). */
export const CLIENT_TOKEN = {
  /** Printable ASCII: ours, the docs say only "ASCII". */
  pattern: /^[\x20-\x7e]{1,64}$/,
  /** How many tokens the emulator remembers (the latest; ours, Baidu publishes no duration). */
  remembered: 10_000,
} as const

/** Paging of `GET /v2/securityGroup`: `maxKeys` is 1 to 1000, 1000 when absent (published). */
export const MAX_KEYS = { min: 1, max: 1000, default: 1000 } as const

/**
 * The `createdTime` of every listed group. The state keeps no creation time (the group
 * shape is `{ id, name, vpcId }`), so a fixed one keeps listings reproducible.
 */
export const GROUP_CREATED_TIME = '2026-01-01T00:00:00Z'

/** Error codes the emulator answers with. Published by Baidu unless marked. */
export const ERROR_CODE = {
  invalidHttpAuthHeader: 'InvalidHTTPAuthHeader',
  invalidAccessKeyId: 'InvalidAccessKeyId',
  requestExpired: 'RequestExpired',
  signatureDoesNotMatch: 'SignatureDoesNotMatch',
  malformedJson: 'MalformedJSON',
  inappropriateJson: 'InappropriateJSON',
  invalidHttpRequest: 'InvalidHTTPRequest',
  invalidUri: 'InvalidURI',
  invalidVersion: 'InvalidVersion',
  internalError: 'InternalError',
  bindExceededLimit: 'SecurityGroup.BindInstanceExceededLimit',
  expiredInstanceForbiddenBind: 'SecurityGroup.ExpiredInstanceForbiddenBind',
  noSecurityGroup: 'SecurityGroup.NoSecurityGroup',
  /** Published for other BCE APIs; BCC's own not-found code is not published. */
  noSuchObject: 'NoSuchObject',
  /** Ours: BCE publishes no code for a method a path does not serve. */
  methodNotAllowed: 'MethodNotAllowed',
  /** Ours: what BCC answers to a duplicate bind is not published. */
  alreadyBound: 'SecurityGroup.AlreadyBound',
  /** Published in the common table: a clientToken reused with other parameters. */
  idempotentParameterMismatch: 'IdempotentParameterMismatch',
  /** Ours: BCC publishes no code for binding one kind of group to an instance of the other. */
  typeConflict: 'SecurityGroup.TypeConflict',
} as const

/** HTTP statuses by meaning, so the logic has no bare numbers. */
export const STATUS = {
  ok: 200,
  badRequest: 400,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  payloadTooLarge: 413,
  internalError: 500,
} as const

/** How many requests the log keeps (the latest); older ones are dropped. */
export const MAX_LOGGED_REQUESTS = 10_000

/** Defaults of `startEmulator`. */
export const EMULATOR_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  /** How far a signing time may lie ahead of the clock (ours; Baidu publishes none). */
  maxFutureSkewSeconds: 900,
  /** Seed of the fault rules' random draws, so that runs are reproducible. */
  faultSeed: 1,
  /** The status of a duplicate bind in `error` mode. */
  duplicateBindStatus: 400,
} as const

/**
 * Demo credentials for `npm run emulator` when no keys are in the environment. Not a secret:
 * docs/emulator.md prints them, and they open nothing but a local emulator.
 */
export const DEMO_CREDENTIALS = {
  accessKeyId: 'emulator-demo-access-key',
  secretAccessKey: 'emulator-demo-secret-key-not-a-secret',
} as const

/** The address and port `npm run emulator` listens on unless `EMULATOR_PORT` says otherwise. */
export const CLI_DEFAULTS = { host: '127.0.0.1', port: 8787 } as const
