import { createRequire } from 'node:module'

/** The part of the official SDK's `Auth` class the tests call. */
export interface OfficialAuth {
  generateAuthorization(
    method: string,
    path: string,
    params: Record<string, string>,
    headers: Record<string, string>,
    timestampSeconds: number,
    expirationSeconds: number,
    headersToSign?: readonly string[],
  ): string
}

type OfficialAuthConstructor = new (accessKeyId: string, secretAccessKey: string) => OfficialAuth

const require = createRequire(import.meta.url)

/** The official Baidu JavaScript signer (@baiducloud/sdk/src/auth.js), our reference. */
export const OfficialAuth = require('@baiducloud/sdk/src/auth.js') as OfficialAuthConstructor
