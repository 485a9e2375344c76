// Cold-start floor, run with plain `node`: a process that loads nothing and does nothing, so
// the table shows how much of either cold start is node's own startup.
const sinceStartMs = performance.now()
const report = {
  answeredAtEpochMs: performance.timeOrigin + sinceStartMs,
  sinceStartMs,
  loadedMs: sinceStartMs,
  maxRssKb: process.resourceUsage().maxRSS,
  status: null,
  outcome: null,
}
process.stdout.write(`BENCH_RESULT ${JSON.stringify(report)}\n`)
