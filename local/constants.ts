/** The webhook secret of local runs when `WEBHOOK_SECRET` is unset. Never use it in AWS. */
export const LOCAL_WEBHOOK_SECRET = `whsec_${Buffer.from('bcc-sg-binder-local-demo-secret').toString('base64')}`

/** Where the local gateway listens unless `GATEWAY_PORT` says otherwise. */
export const GATEWAY_DEFAULTS = { host: '127.0.0.1', port: 3000 } as const

/** The first line `npm start` prints about the gateway; the start test reads the URL from it. */
export const GATEWAY_LISTENING_PREFIX = 'Local gateway listening on '
