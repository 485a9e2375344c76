import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator/index.js'
import { TEST_CREDENTIALS, TEST_STS_CREDENTIALS } from './credentials.js'

/** The test key pairs: the plain one, and the temporary one with its session token. */
const EMULATOR_CREDENTIALS = [{ ...TEST_CREDENTIALS }, { ...TEST_STS_CREDENTIALS }]

/** An emulator on 127.0.0.1, an OS-chosen port, the seed file and the test credentials. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ credentials: EMULATOR_CREDENTIALS, ...options })
}

/** Seeded ids (emulator/seed.json). */
export const SEEDED = {
  /** Running, one group (g-4NxWoxeq); the example instance of Baidu's bind documentation (https://intl.cloud.baidu.com/doc/BCC/s/Ojwvyoecx-en). */
  instance: 'i-YufwpQAe',
  /** Running, two groups (g-4NxWoxeq, g-nky7qeom). */
  twoGroups: 'i-Web2Demo',
  expired: 'i-ExpIred1',
  /** Running, ten groups. */
  full: 'i-Fu11Ten0',
  /** Running, in the second VPC. */
  otherVpc: 'i-Vpc2Demo',
  /** The spec's example group, not bound to `instance`. */
  group: 'g-nky7qeom',
  defaultGroup: 'g-4NxWoxeq',
  otherVpcGroup: 'g-vpc2web0',
  vpc: 'vpc-2pa2x0bjt26i',
  otherVpcId: 'vpc-7mkp5t3sq2ne',
} as const

/** The bind call's body. */
export const groupBody = (securityGroupId: string) => JSON.stringify({ securityGroupId })
