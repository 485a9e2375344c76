import type { CliConfig } from './cliConfig.js'
import { API_PATH, CONTROL_PATH } from './constants.js'
import type { Snapshot } from './types.js'

/** The first line of the banner; tools (and our test) read the URL from it. */
export const LISTENING_LINE_PREFIX = 'BCC emulator listening on '

// A state without enterprise groups prints as it did before they existed.
const enterpriseLines = ({ enterpriseSecurityGroups = [] }: Snapshot): string[] =>
  enterpriseSecurityGroups.length === 0
    ? []
    : [
        '  enterprise security groups:',
        ...enterpriseSecurityGroups.map((group) => `    ${group.id}  ${group.name}`),
      ]

/**
 * What `npm run emulator` prints: where it listens, what it serves, the seeded ids and the
 * access key. The secret key is printed only when it is the published demo one; a session
 * token never is.
 */
export function formatBanner(url: string, config: CliConfig, state: Snapshot): string {
  const { credentials } = config
  const secretLine = config.demoCredentials
    ? `  secret key     ${credentials.secretAccessKey}  (demo keys: set BCE_ACCESS_KEY_ID and BCE_SECRET_ACCESS_KEY to use your own)`
    : '  secret key     (from BCE_SECRET_ACCESS_KEY, not shown)'
  const tokenLines =
    credentials.sessionToken === undefined
      ? []
      : ['  session token  required in x-bce-security-token (from BCE_SESSION_TOKEN, not shown)']
  return [
    `${LISTENING_LINE_PREFIX}${url}`,
    '',
    'BCC API (signed with bce-auth-v1):',
    '  PUT  /v2/instance/{instanceId}?bind     {"securityGroupId": "g-..."}',
    '  PUT  /v2/instance/{instanceId}?unbind   {"securityGroupId": "g-..."}',
    `  PUT  ${API_PATH.batchBind}?clientToken=     {"instanceIds": [...], "securityGroupIds": [...], "securityGroupType": "enterprise" | "normal"}`,
    `  PUT  ${API_PATH.batchUnbind}?clientToken=   same body`,
    '  GET  /v2/instance/{instanceId}',
    `  GET  ${API_PATH.securityGroups}?instanceId=&vpcId=&marker=&maxKeys=`,
    '',
    'Control API (unsigned, loopback only):',
    `  POST ${CONTROL_PATH.reset}  GET ${CONTROL_PATH.state}  POST ${CONTROL_PATH.faults}  GET ${CONTROL_PATH.requests}`,
    '',
    `Seed: ${config.seedPath}`,
    '  instances:',
    ...state.instances.map((instance) => {
      const groups = [...instance.securityGroupIds, ...(instance.enterpriseSecurityGroupIds ?? [])]
      return `    ${instance.id}  ${instance.status.padEnd(7)}  ${instance.vpcId}  groups: ${groups.join(', ') || '(none)'}`
    }),
    '  security groups:',
    ...state.securityGroups.map(
      (group) => `    ${group.id.padEnd(14)}  ${group.vpcId}  ${group.name}`,
    ),
    ...enterpriseLines(state),
    '',
    'Credentials:',
    `  access key     ${credentials.accessKeyId}`,
    secretLine,
    ...tokenLines,
    '',
    `Duplicate bind: ${config.duplicateBind.mode}`,
    `Point the binder at it: BCC_ENDPOINT=${url}`,
    'Stop with Ctrl+C.',
    '',
  ].join('\n')
}
