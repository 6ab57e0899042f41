import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Provides `inject('databaseUrl')`: TEST_DATABASE_URL, or a throwaway local PostgreSQL.
    globalSetup: ['test/support/postgres-server.ts'],
    include: ['test/**/*.test.ts'],
    // Real-database tests create databases and run migrations, slower than unit tests.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // vitest's default, pinned: each test file runs in its own process, so a database client
    // or PGlite instance one file leaves open cannot affect another.
    pool: 'forks',
  },
});
