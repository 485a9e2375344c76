// What every cold-start child prints when it is done, one `BENCH_RESULT` line that
// bench/coldStart.ts reads (its `ChildReport`): when the answer was complete, since the process
// started and on the epoch clock the parent shares, when the modules were loaded, the peak RSS,
// and the answer's status and outcome (null for the empty child, which sends nothing).
const { performance } = require('node:perf_hooks')

exports.reportAnswer = function reportAnswer({ loadedMs, status, outcome }) {
  const sinceStartMs = performance.now()
  const report = {
    answeredAtEpochMs: performance.timeOrigin + sinceStartMs,
    sinceStartMs,
    loadedMs: loadedMs ?? sinceStartMs,
    maxRssKb: process.resourceUsage().maxRSS,
    status,
    outcome,
  }
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(report)}\n`)
}
