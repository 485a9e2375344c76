/**
 * Adds `Promise.withResolvers` where the runtime lacks it (Node 20; Node 22 has it), because
 * aws-local-stepfunctions 3 calls it for every Task state. The same three fields as the
 * standard: https://tc39.es/ecma262/#sec-promise.withResolvers
 */
export function installPromiseWithResolvers(): void {
  if ('withResolvers' in Promise) return
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve: (value: T | PromiseLike<T>) => void = () => undefined
      let reject: (reason?: unknown) => void = () => undefined
      const promise = new Promise<T>((onResolve, onReject) => {
        resolve = onResolve
        reject = onReject
      })
      return { promise, resolve, reject }
    },
  })
}
