import { createQueueHandler } from '../lib/handlers/queueHandler.js'
import { createFunctionRuntime } from '../lib/runtime/functionRuntime.js'

/** The queue function's Lambda entry point; its configuration is read once, at cold start. */
export const handler = createQueueHandler(createFunctionRuntime('queue', process.env))
