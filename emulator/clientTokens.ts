import { CLIENT_TOKEN } from './constants.js'

/** What a batch call that succeeded with a `clientToken` leaves behind. */
interface RememberedCall {
  /** The canonical form of its parameters (`canonicalParameters` in ./batch.ts). */
  parameters: string
  /** The request id of its answer, repeated in the answers to its retries. */
  requestId: string
}

/** The `clientToken`s of the batch calls, per call (bind and unbind keep their own). */
export interface ClientTokenMemory {
  recall(call: string, token: string): RememberedCall | undefined
  remember(call: string, token: string, remembered: RememberedCall): void
  /** Forgets every token (a reset of the emulator's state). */
  clear(): void
}

/**
 * Creates an empty memory that keeps the latest `limit` tokens, so that an emulator left
 * running for days does not grow without bound (how long BCC remembers one is not published).
 */
export function createClientTokenMemory(
  limit: number = CLIENT_TOKEN.remembered,
): ClientTokenMemory {
  // Insertion order is age: the first key is the oldest.
  const calls = new Map<string, RememberedCall>()
  const keyOf = (call: string, token: string) => JSON.stringify([call, token])
  return {
    recall: (call, token) => calls.get(keyOf(call, token)),
    remember(call, token, remembered) {
      calls.set(keyOf(call, token), remembered)
      for (const oldest of calls.keys()) {
        if (calls.size <= limit) break
        calls.delete(oldest)
      }
    },
    clear: () => calls.clear(),
  }
}
