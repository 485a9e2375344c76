// Cold-start floor, run with plain `node`: a process that loads nothing but the report every
// child prints and does nothing, so the table shows how much of either cold start is node's
// own startup.
require('./report.cjs').reportAnswer({ status: null, outcome: null })
