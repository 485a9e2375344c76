// The bind-many state machine run on this machine with aws-local-stepfunctions: the same
// definition file serverless.yml deploys, its placeholders filled as CloudFormation fills them,
// and its one Task state answered by a local workflow function instead of Lambda.
import { readFileSync } from 'node:fs'
import type { Context } from 'aws-lambda'
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions'

/** A JSON value, as the interpreter passes and returns them. */
export type JsonValue = Parameters<StateMachine['run']>[0]

/** Calls the workflow function with one item's request; throws a {@link FunctionError}. */
export type WorkflowInvoker = (payload: JsonValue) => Promise<JsonValue>

/** The definition file, as serverless.yml's BindManyStateMachine reads it. */
export const BIND_MANY_DEFINITION = new URL('../statemachines/bind-many.asl.json', import.meta.url)

/** The Task state that invokes the workflow function. */
const BIND_TASK_STATE = 'Bind'

/** The values serverless.yml's `DefinitionSubstitutions` give the placeholders. */
export interface BindManySubstitutions {
  WorkflowFunctionArn: string
  MapMaxConcurrency: number
}

/**
 * The definition with every `${Name}` placeholder replaced by its substitution, as
 * CloudFormation does: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html
 *
 * @throws Error naming a placeholder that has no substitution.
 */
export function loadBindManyDefinition(
  substitutions: BindManySubstitutions,
): StateMachineDefinition {
  const values: Record<string, string | number> = { ...substitutions }
  const text = readFileSync(BIND_MANY_DEFINITION, 'utf8').replace(
    /\$\{(\w+)\}/g,
    (placeholder, name: string) => {
      const value = values[name]
      if (value === undefined) throw new Error(`No substitution for ${placeholder}`)
      return String(value)
    },
  )
  return JSON.parse(text)
}

/**
 * A function error as a Task state receives it from Lambda: the error name is the function's
 * `errorType`, the cause Lambda's JSON error object, so `Retry`/`Catch` match the catalogue
 * name. https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
class FunctionError extends Error {
  constructor(errorType: string, errorMessage: string, trace: readonly string[] = []) {
    super(JSON.stringify({ errorType, errorMessage, trace }))
    this.name = errorType
  }
}

/**
 * An invoker that runs a workflow handler in this process, as Lambda would: the result is
 * serialised, and a thrown error becomes a {@link FunctionError}.
 */
export function handlerInvoker(
  handler: (event: unknown, context: Context) => Promise<unknown>,
  context: () => Context,
): WorkflowInvoker {
  return async (payload) => {
    let result: unknown
    try {
      result = await handler(payload, context())
    } catch (error) {
      const { name, message, stack } = error instanceof Error ? error : new Error(String(error))
      throw new FunctionError(name, message, stack?.split('\n') ?? [])
    }
    return JSON.parse(JSON.stringify(result ?? null))
  }
}

/**
 * An invoker that posts to the local gateway's `POST /invoke` (see local/gateway.ts), which
 * answers a function error as Lambda's Invoke API does: `{ errorType, errorMessage }`.
 */
export function gatewayInvoker(gatewayUrl: string): WorkflowInvoker {
  return async (payload) => {
    const response = await fetch(new URL('/invoke', gatewayUrl), {
      method: 'POST',
      body: JSON.stringify(payload),
    })
    if (!response.ok) {
      throw new FunctionError('Lambda.ServiceException', `The gateway answered ${response.status}`)
    }
    const body: JsonValue = JSON.parse(await response.text())
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const { errorType, errorMessage } = body
      if (typeof errorType === 'string') throw new FunctionError(errorType, String(errorMessage))
    }
    return body
  }
}

/** One local execution of bind-many. */
export interface BindManyRun {
  input: JsonValue
  invoke: WorkflowInvoker
  /** The execution's name; its ARN (`$$.Execution.Id`) ends with it. */
  executionName: string
  /** The Map's concurrency (serverless.yml's `fleetMaxConcurrency`). */
  maxConcurrency: number
  /** When given, every retry waits this long instead of the definition's back-off. */
  retryWaitMs?: number
}

/** The ARN a local execution of bind-many gets as `$$.Execution.Id`. */
export function localExecutionArn(executionName: string): string {
  return `arn:aws:states:local:000000000000:execution:bcc-sg-binder-local-bind-many:${executionName}`
}

/** The local stand-in for the workflow function's ARN (the Task is answered locally). */
const LOCAL_WORKFLOW_ARN = 'arn:aws:lambda:local:000000000000:function:bcc-sg-binder-local-workflow'

/**
 * Runs bind-many with aws-local-stepfunctions. Resolves to the execution's output; rejects with
 * the interpreter's `ExecutionError` when the execution fails (its `cause` names the error).
 */
export async function runBindMany(run: BindManyRun): Promise<JsonValue> {
  const machine = new StateMachine(
    loadBindManyDefinition({
      WorkflowFunctionArn: LOCAL_WORKFLOW_ARN,
      MapMaxConcurrency: run.maxConcurrency,
    }),
  )
  const options: RunOptions = {
    context: {
      Execution: {
        Id: localExecutionArn(run.executionName),
        Name: run.executionName,
        Input: run.input,
        StartTime: new Date().toISOString(),
      },
    },
    overrides: {
      taskResourceLocalHandlers: { [BIND_TASK_STATE]: run.invoke },
      ...(run.retryWaitMs === undefined
        ? {}
        : { retryIntervalOverrides: { [BIND_TASK_STATE]: run.retryWaitMs } }),
    },
  }
  return machine.run(run.input, options).result
}
