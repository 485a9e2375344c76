export { formatAuthorization, parseAuthorization } from './authorization.js'
export {
  AUTH_VERSION,
  BCE_HEADER_PREFIX,
  DEFAULT_EXPIRATION_SECONDS,
  DEFAULT_HEADERS_TO_SIGN,
  DEFAULT_MAX_FUTURE_SKEW_SECONDS,
  HEADER,
} from './constants.js'
export { formatTimestamp } from './formatTimestamp.js'
export { sign, verify } from './signer.js'
export type {
  AuthorizationParts,
  Credentials,
  SignableRequest,
  SignOptions,
  VerifyFailureReason,
  VerifyOptions,
  VerifyResult,
} from './types.js'
