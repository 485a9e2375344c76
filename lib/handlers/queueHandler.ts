import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch'
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import pLimit from 'p-limit'
import { ValidationError } from '../errors/catalogue.js'
import { type BinderContext, catalogueErrors, configGuard } from '../middleware/chain.js'
import { failureLog } from '../middleware/outcomeLog.js'
import { secretsLoader } from '../middleware/secrets.js'
import { createFailureQueue, type FailureQueue } from '../runtime/failureQueue.js'
import { type FunctionRuntime, LAMBDA_CONTEXT_LOGGING } from '../runtime/functionRuntime.js'
import { SqsEventSchema } from '../schemas/events.js'
import { toFieldIssues } from '../schemas/issues.js'
import { bindDependenciesFor } from './bindDependencies.js'
import { processRecord } from './queueRecord.js'

/**
 * The SQS consumer, with `ReportBatchItemFailures`. Records of a standard queue run
 * concurrently (at most `QUEUE_CONCURRENCY`); a FIFO queue's run in order, and after a failure
 * the rest of that message group is reported without being tried, while other groups go on.
 * The chain's order is explained at `createHttpHandler`.
 */
export function createQueueHandler(runtime: FunctionRuntime) {
  const config = runtime.config
  const failureQueue: FailureQueue | undefined =
    config?.failureQueueUrl === undefined
      ? undefined
      : createFailureQueue(config.failureQueueUrl, runtime.clock, runtime.options.aws)

  return middy<SQSEvent, SQSBatchResponse, Error, BinderContext>()
    .use(injectLambdaContext(runtime.logger, LAMBDA_CONTEXT_LOGGING))
    .use(failureLog(runtime))
    .use(catalogueErrors())
    .use(configGuard(runtime))
    .use(secretsLoader(runtime))
    .handler(async (event, context) => {
      const { config, dependencies: deps } = bindDependenciesFor(runtime, context)
      const parsed = SqsEventSchema.safeParse(event)
      if (!parsed.success)
        throw new ValidationError('Invalid SQS event', toFieldIssues(parsed.error.issues))
      if (event.Records.length === 0) return { batchItemFailures: [] }
      const handleRecord = (record: SQSRecord) => processRecord(record, deps, runtime, failureQueue)
      if (event.Records.some((record) => record.eventSourceARN.endsWith('.fifo'))) {
        return processPartialResponse(event, handleRecord, new SqsFifoPartialProcessorAsync(), {
          context,
          skipGroupOnError: true,
          throwOnFullBatchFailure: false,
        })
      }
      const limit = pLimit(config.queueConcurrency)
      return processPartialResponse(
        event,
        (record: SQSRecord) => limit(() => handleRecord(record)),
        new BatchProcessor(EventType.SQS),
        { context, throwOnFullBatchFailure: false },
      )
    })
}
