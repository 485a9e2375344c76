import type { CliEmulator } from '../emulator/runCli.js'

/** The webhook secret of local runs when `WEBHOOK_SECRET` is unset. Never use it in AWS. */
export const LOCAL_WEBHOOK_SECRET = `whsec_${Buffer.from('bcc-sg-binder-local-demo-secret').toString('base64')}`

/** Where the local gateway listens unless `GATEWAY_PORT` says otherwise. */
export const GATEWAY_DEFAULTS = { host: '127.0.0.1', port: 3000 } as const

/** The local gateway's URL unless the command line or `GATEWAY_URL` says otherwise. */
export const DEFAULT_GATEWAY_URL = `http://${GATEWAY_DEFAULTS.host}:${GATEWAY_DEFAULTS.port}`

/** A local run's webhook secret: `WEBHOOK_SECRET`, or {@link LOCAL_WEBHOOK_SECRET} if unset. */
export const localWebhookSecret = (env: NodeJS.ProcessEnv): string =>
  env.WEBHOOK_SECRET || LOCAL_WEBHOOK_SECRET

/**
 * The functions' environment in a local run (`npm start`, `npm run offline`): `env` with the
 * emulator's URL and the credentials it accepts, and the local webhook secret.
 */
export function localFunctionEnv(
  env: NodeJS.ProcessEnv,
  { emulator, config }: Pick<CliEmulator, 'emulator' | 'config'>,
) {
  return {
    ...env,
    BCE_ACCESS_KEY_ID: config.credentials.accessKeyId,
    BCE_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
    BCE_SESSION_TOKEN: config.credentials.sessionToken ?? '',
    BCC_ENDPOINT: emulator.url,
    WEBHOOK_SECRET: localWebhookSecret(env),
  }
}

/** The first line `npm start` prints about the gateway; the start test reads the URL from it. */
export const GATEWAY_LISTENING_PREFIX = 'Local gateway listening on '
