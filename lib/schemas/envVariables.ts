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

/**
 * Why a credential (access key id, secret access key, session token) cannot be used, or
 * undefined. BCE issues them as visible ASCII; the key id and the token travel in HTTP headers,
 * where Node refuses a line break or a character outside Latin-1 (`ERR_INVALID_CHAR`, see
 * `validateHeaderValue` in https://nodejs.org/api/http.html), so every call would fail.
 */
export function credentialProblem(value: string): string | undefined {
  if (value.trim() !== value) return 'must not have leading or trailing white space'
  if (!/^[\x21-\x7e]*$/.test(value)) {
    return 'must hold only visible ASCII characters (no spaces, line breaks or other characters)'
  }
  return undefined
}

/** {@link credentialProblem} as a zod check. */
export const credentialCheck = z.superRefine((value: string, ctx) => {
  const problem = credentialProblem(value)
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
})

/** A credential: required, and usable (see {@link credentialProblem}). */
export const requiredSecretVariable = unsetIfEmpty(
  z.string({ error: 'is required' }).check(credentialCheck),
)

/** An optional string variable. */
export const optionalVariable = unsetIfEmpty(z.optional(z.string({ error: 'must be a string' })))
