import { createHttpHandler } from '../lib/handlers/httpHandler.js'
import { createFunctionRuntime } from '../lib/runtime/functionRuntime.js'

/** The http function's Lambda entry point; its configuration is read once, at cold start. */
export const handler = createHttpHandler(createFunctionRuntime('http', process.env))
