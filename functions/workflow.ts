import { createWorkflowHandler } from '../lib/handlers/workflowHandler.js'
import { createFunctionRuntime } from '../lib/runtime/functionRuntime.js'

/** The workflow function's Lambda entry point; its configuration is read once, at cold start. */
export const handler = createWorkflowHandler(createFunctionRuntime('workflow', process.env))
