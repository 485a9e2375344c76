import * as z from 'zod/mini'

/** An unset variable and an empty one mean the same (deploy tools often write `''`). */
export const unsetIfEmpty = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.transform((value: unknown) => (value === '' ? undefined : value)),
    schema,
  )

/** A whole number in `[min, max]`, given as a string, or `fallback` when unset. */
export const integerVariable = (min: number, max: number, fallback: number) =>
  unsetIfEmpty(
    z.pipe(
      z.optional(
        z.pipe(
          z
            .string()
            .check(z.regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })),
          z.pipe(
            z.transform(Number),
            z
              .number()
              .check(
                z.minimum(min, { error: `must be at least ${min}` }),
                z.maximum(max, { error: `must be at most ${max}` }),
              ),
          ),
        ),
      ),
      z.transform((value) => value ?? fallback),
    ),
  )

/** A secret value: required, and without stray white space (a copy-paste accident). */
export const requiredSecretVariable = unsetIfEmpty(
  z.string({ error: 'is required' }).check(
    z.refine((value) => value.trim() === value, {
      error: 'must not have leading or trailing white space',
    }),
  ),
)

/** An optional string variable. */
export const optionalVariable = unsetIfEmpty(z.optional(z.string({ error: 'must be a string' })))
