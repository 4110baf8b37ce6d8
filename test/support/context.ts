/**
 * What the global setup hands to every test file through vitest's `provide`/`inject`.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * A PostgreSQL URL with the right to `create database` (DATABASE_URL, or the
     * throwaway server the global setup started); `null` when tests run on PGlite only.
     */
    postgresAdminUrl: string | null
    /** A PGlite template tarball (see `writePgliteTemplate`), loaded per test file. */
    pgliteTemplate: string
  }
}

export {}
