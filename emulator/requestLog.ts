import { EXCLUDED_QUERY_KEY } from '../lib/bce/constants.js'
import { MAX_LOGGED_REQUESTS } from './constants.js'
import type { LoggedRequest } from './types.js'

/** The request log: entries numbered in the order they were answered. */
export interface RequestLog {
  add(entry: Omit<LoggedRequest, 'id'>): void
  /** A copy, so a caller cannot rewrite history. */
  entries(): LoggedRequest[]
}

/**
 * Creates an empty log that keeps the last `limit` entries (ids keep counting), so that an
 * emulator left running for days does not grow without bound.
 */
export function createRequestLog(limit: number = MAX_LOGGED_REQUESTS): RequestLog {
  const entries: LoggedRequest[] = []
  let added = 0
  return {
    add(entry) {
      entries.push({ id: ++added, ...entry })
      if (entries.length > limit) entries.shift()
    },
    entries: () => structuredClone(entries),
  }
}

/**
 * The query as it may be logged: without an `authorization` parameter (any case), which would
 * carry a signature, as BCE's query-string authentication does.
 */
export function loggableQuery(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query).filter(([key]) => key.toLowerCase() !== EXCLUDED_QUERY_KEY),
  )
}
