import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/support/vitest.setup.ts'],
    // Tests talk HTTP on loopback; a slow shared machine must not turn that into flakes.
    testTimeout: 20_000,
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts', 'emulator/**/*.ts', 'functions/**/*.ts'],
      // The emulator's CLI entry only wires a process; it runs in a child process in its test.
      exclude: ['emulator/cli.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: {
        lines: 95,
        branches: 95,
        functions: 95,
        statements: 95,
        // The core library on its own, as the core issue asks.
        'lib/**/*.ts': { lines: 95, branches: 95, functions: 95, statements: 95 },
      },
    },
  },
})
