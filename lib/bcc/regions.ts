import * as z from 'zod/mini'

/**
 * BCC regions this project may call. The first six have a published BCC endpoint; `fsh` and
 * `sin` are used by Baidu's own client code (docs/baidu.md, "Endpoints and regions"). Nothing outside this list is
 * ever turned into a host name, so a region can never steer requests to another domain.
 */
export const REGIONS = ['bj', 'gz', 'su', 'hkg', 'fwh', 'bd', 'fsh', 'sin'] as const

/** A BCC region from the allow-list. */
export type Region = (typeof REGIONS)[number]

/** The region used when neither the request nor `BCE_REGION` names one. */
export const DEFAULT_REGION: Region = 'bj'

/** True when `value` is one of {@link REGIONS}. */
export function isRegion(value: string): value is Region {
  return REGIONS.some((region) => region === value)
}

/** A region from the allow-list; anything else is refused before it can become a host name. */
export const RegionSchema = z.enum(REGIONS, {
  error: (issue) =>
    issue.input === undefined ? 'is required' : `must be one of ${REGIONS.join(', ')}`,
})
