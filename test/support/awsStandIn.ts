import type { AwsClientConfig } from '../../lib/runtime/awsCalls.js'
import {
  ROLE_CREDENTIALS,
  ROLE_REGION,
  type SecretsManagerStandIn,
  startSecretsManager,
} from './secretsManager.js'

/**
 * A loopback AWS endpoint that takes every request in and never answers, as a service does
 * that the function has no route to; the real SDK clients (SQS) are pointed at it. It is the
 * Secrets Manager stand-in (./secretsManager.ts), silenced.
 */
export interface AwsStandIn extends Pick<SecretsManagerStandIn, 'targets' | 'abandoned' | 'close'> {
  /** SDK settings that send a client here, with the role's (made-up) keys. */
  clientConfig: Required<AwsClientConfig>
}

/** Starts a silent stand-in on 127.0.0.1, an OS-chosen port. */
export async function startAwsStandIn(): Promise<AwsStandIn> {
  const standIn = await startSecretsManager()
  standIn.silence()
  return {
    clientConfig: {
      endpoint: standIn.url,
      region: ROLE_REGION,
      credentials: {
        accessKeyId: ROLE_CREDENTIALS.AWS_ACCESS_KEY_ID,
        secretAccessKey: ROLE_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      },
    },
    targets: standIn.targets,
    abandoned: standIn.abandoned,
    close: standIn.close,
  }
}
