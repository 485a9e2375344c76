// `npm run emulator`: everything testable lives in runCli; this file only wires the process.
import { runCli } from './runCli.js'

const emulator = await runCli(process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
})

if (emulator === undefined) {
  process.exitCode = 1
} else {
  const stop = () => {
    void emulator.close().then(() => process.stdout.write('BCC emulator stopped\n'))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
