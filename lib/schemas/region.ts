import * as z from 'zod/mini'
import { REGIONS } from '../bcc/regions.js'

/** A region from the allow-list; anything else is refused before it can become a host name. */
export const RegionSchema = z.enum(REGIONS, {
  error: (issue) =>
    issue.input === undefined ? 'is required' : `must be one of ${REGIONS.join(', ')}`,
})
