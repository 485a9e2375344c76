// aws-local-stepfunctions 3 (test/statemachines/) declares Node >= 22 and calls
// Promise.withResolvers, which Node 20 lacks; the suite also runs on Node 20.
import { installPromiseWithResolvers } from '../../local/promiseWithResolvers.js'

installPromiseWithResolvers()
