import * as z from 'zod'

/** An unset variable and an empty one mean the same (deploy tools often write `''`). */
export const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value)

/** A whole number in `[min, max]`, given as a string, or `fallback` when unset. */
export const integerVariable = (min: number, max: number, fallback: number) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, { error: `must be at least ${min}` })
          .max(max, { error: `must be at most ${max}` }),
      )
      .optional()
      .transform((value) => value ?? fallback),
  )

/** A secret value: required, and without stray white space (a copy-paste accident). */
export const requiredSecretVariable = z.preprocess(
  unsetIfEmpty,
  z.string({ error: 'is required' }).refine((value) => value.trim() === value, {
    error: 'must not have leading or trailing white space',
  }),
)

/** An optional string variable. */
export const optionalVariable = z.preprocess(unsetIfEmpty, z.string().optional())
