// `lib/middleware/secrets.ts` still imports the deadline from here; the import moves to
// `lib/usecases/bindDependencies.ts` when that file is next changed, and this file goes.
export { invocationDeadline } from '../usecases/bindDependencies.js'
