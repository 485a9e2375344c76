// asl-validator ships JavaScript only: the part of its API the definition test uses.
// https://github.com/ChristopheBougere/asl-validator#in-your-code
declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean
    errorsText(separator?: string): string
  }

  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): ValidationResult

  export = aslValidator
}
