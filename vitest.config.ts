import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts PostgreSQL (or finds DATABASE_URL) and makes the PGlite template; see the file.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
      // The native compiler (TOOLCHAIN.md): same diagnostics, a few times faster than tsc 6.
      checker: 'node_modules/typescript7/bin/tsc',
    },
  },
})
