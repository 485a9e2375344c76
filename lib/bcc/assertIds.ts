import { ValidationError } from '../errors/catalogue.js'
import { INSTANCE_ID_PATTERN, SECURITY_GROUP_ID_PATTERN } from '../schemas/ids.js'

/**
 * The client's own guard: an id goes into a URL path and a signed body, so one that is not a
 * well-formed BCC id never reaches the network, whoever calls the client.
 *
 * @throws {ValidationError} naming each bad id.
 */
export function assertBccIds(ids: { instanceId: string; securityGroupId?: string }): void {
  const issues = []
  if (!INSTANCE_ID_PATTERN.test(ids.instanceId)) {
    issues.push({ field: 'instanceId', message: 'is not a BCC instance id' })
  }
  if (ids.securityGroupId !== undefined && !SECURITY_GROUP_ID_PATTERN.test(ids.securityGroupId)) {
    issues.push({ field: 'securityGroupId', message: 'is not a BCC security group id' })
  }
  if (issues.length > 0) throw new ValidationError('Invalid BCC call', issues)
}
