import type * as z from 'zod/mini'

/** The part of a schema the code uses: `safeParse`, with the schema's own output type. */
export interface LazySchema<T extends z.ZodMiniType> {
  safeParse(input: unknown): ReturnType<T['safeParse']>
}

/**
 * A schema built on its first `safeParse`, not at import. Building a zod schema runs (and so
 * compiles) the code of every kind of check it holds, a cost each cold start pays for every
 * schema of the bundle (bench/README.md); one that the first invocation does not need (an error
 * body, another trigger's envelope) should not be built before it is.
 */
export function lazySchema<T extends z.ZodMiniType>(build: () => T): LazySchema<T> {
  let schema: T | undefined
  return {
    safeParse(input) {
      schema ??= build()
      return schema.safeParse(input) as ReturnType<T['safeParse']>
    },
  }
}
