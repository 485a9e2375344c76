import { createSeededRandom } from './random.js'
import type { FaultAction, FaultMatch, FaultRule, FiredFault } from './types.js'

/** What a rule is matched against. */
export interface FaultTarget {
  method: string
  /** Decoded. */
  path: string
  /** The instance in the path, or the `instanceId` parameter of a group listing. */
  instanceId: string | undefined
  /** The instances a batch call's body lists. */
  listedInstanceIds?: readonly string[]
}

/** Every action but latency ends the request's handling one way or another. */
type TerminalFault = Exclude<FaultAction, { kind: 'latency' }>

/** What the faults do to one request. */
interface FaultDecision {
  /** The sum of the latency rules that fired. */
  latencyMs: number
  /** The first other rule that fired, if any. */
  action: TerminalFault | undefined
  fired: FiredFault[]
}

/** Rules with their state: the compiled pattern, and how many times each may still fire. */
export interface FaultEngine {
  /** Replaces the rules and restarts the random draws from `seed`. */
  replace(rules: readonly FaultRule[], seed: number): void
  /** Decides, and spends what fires. */
  decide(target: FaultTarget): FaultDecision
}

/**
 * True when every field the match gives agrees with the target (an empty match: always). A
 * match's `instanceId` agrees with the target's, or with any instance a batch call lists.
 */
export function matchesRule(
  match: FaultMatch | undefined,
  pattern: RegExp | undefined,
  target: FaultTarget,
): boolean {
  if (match === undefined) return true
  if (match.method !== undefined && match.method.toUpperCase() !== target.method.toUpperCase()) {
    return false
  }
  if (match.path !== undefined && match.path !== target.path) return false
  if (pattern !== undefined && !pattern.test(target.path)) return false
  const { instanceId } = match
  return (
    instanceId === undefined ||
    instanceId === target.instanceId ||
    (target.listedInstanceIds ?? []).includes(instanceId)
  )
}

interface ArmedRule {
  rule: FaultRule
  pattern: RegExp | undefined
  remaining: number
}

const arm = (rule: FaultRule): ArmedRule => ({
  rule,
  // The whole path must match, so "/v2/instance/.*" cannot catch "/v2/instance/x/y/z?".
  pattern:
    rule.match?.pathPattern === undefined
      ? undefined
      : new RegExp(`^(?:${rule.match.pathPattern})$`),
  remaining: rule.count ?? Number.POSITIVE_INFINITY,
})

/**
 * Creates the fault engine. Rules are tried in order: each latency rule that fires adds its
 * delay; the first other rule that fires decides, and the rules after it are not tried (nor
 * spent). A rule fires when it matches, is not spent (`count`), and wins its draw
 * (`probability`, drawn only for rules that have one).
 */
export function createFaultEngine(rules: readonly FaultRule[], seed: number): FaultEngine {
  let armed = rules.map(arm)
  let random = createSeededRandom(seed)

  return {
    replace(next, nextSeed) {
      armed = next.map(arm)
      random = createSeededRandom(nextSeed)
    },

    decide(target) {
      const decision: FaultDecision = { latencyMs: 0, action: undefined, fired: [] }
      for (const [index, entry] of armed.entries()) {
        const { rule } = entry
        if (entry.remaining <= 0 || !matchesRule(rule.match, entry.pattern, target)) continue
        if (rule.probability !== undefined && random() >= rule.probability) continue
        entry.remaining--
        decision.fired.push({ rule: index, kind: rule.action.kind })
        if (rule.action.kind === 'latency') {
          decision.latencyMs += rule.action.ms
          continue
        }
        decision.action = rule.action
        break
      }
      return decision
    },
  }
}
