import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const SERVERLESS_YML = new URL('../serverless.yml', import.meta.url)

/**
 * The `NODE_OPTIONS` that `serverless.yml` deploys ('' when it sets none), read from the file
 * so that the bench measures what Lambda runs. A line match, not a YAML parser: the file's
 * CloudFormation tags (`!Ref`, `!GetAtt`) need osls's own schema; a second `NODE_OPTIONS`
 * (one function overriding the provider's) is refused rather than guessed at.
 */
export function deployedNodeOptions(): string {
  const lines = readFileSync(SERVERLESS_YML, 'utf8')
    .split('\n')
    .flatMap((line) => /^\s+NODE_OPTIONS:\s*(.*?)\s*$/.exec(line)?.slice(1) ?? [])
  if (lines.length > 1) throw new Error('serverless.yml sets NODE_OPTIONS more than once')
  return (lines[0] ?? '').replace(/^(["'])(.*)\1$/, '$2')
}

/** A Node major version the cold start runs on, and its executable. */
export interface NodeBinary {
  major: number
  /** `node 22.23.3` */
  label: string
  path: string
}

/**
 * The executable of Node `major`: this process's own when it is that version, otherwise the
 * `node` package of that major from the npm registry, through `npx -y -p node@<major>` (cached
 * by npm after the first run).
 */
export function nodeBinary(major: number): NodeBinary {
  const own = Number(process.versions.node.split('.')[0])
  const [path, version] =
    own === major
      ? [process.execPath, process.versions.node]
      : execFileSync(
          'npx',
          [
            '-y',
            '-p',
            `node@${major}`,
            'node',
            '-p',
            'process.execPath + "\\n" + process.versions.node',
          ],
          { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
        )
          .trim()
          .split('\n')
  if (path === undefined || version === undefined) throw new Error(`no node ${major} found`)
  return { major, label: `node ${version}`, path }
}
