import { HEADER as SIGNED_HEADER } from '../bce/constants.js'

/** Header names the BCC client sends, lower-case as they are signed. */
export const HEADER = {
  ...SIGNED_HEADER,
  contentType: 'content-type',
  contentLength: 'content-length',
  userAgent: 'user-agent',
} as const

/** The content type BCC's docs publish for every request. */
export const CONTENT_TYPE_JSON = 'application/json; charset=utf-8'
