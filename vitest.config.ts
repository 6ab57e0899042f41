import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Node resolves `graphql` to its CommonJS build for graphql-yoga, and Vite would give our files the
// ESM build: two copies, and yoga would not recognise our GraphQLErrors. One copy, as in production.
const graphql = createRequire(import.meta.url).resolve('graphql');

/**
 * The system tier: tests that start real processes, browsers or private PostgreSQL clusters, or run
 * for a fixed time (soak, fuzz, faults). Everything else is the fast tier of the edit loop,
 * `npm run test:fast`; `npm test` runs both.
 */
const system = [
  'test/browser.test.ts',
  'test/cli.test.ts',
  'test/data-folder-lock.test.ts',
  'test/database-faults.test.ts',
  'test/fuzz.test.ts',
  'test/lifecycle.test.ts',
  'test/package.test.ts',
  'test/seed-command.test.ts',
  'test/soak.test.ts',
  'test/start-sign-in.test.ts',
];

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphql }] },
  test: {
    // Provides `inject('databaseUrl')`: TEST_DATABASE_URL, or a throwaway local PostgreSQL.
    globalSetup: ['test/support/postgres-server.ts'],
    // Servers log one line per request; tests that read logs pass their own logger or LOG_LEVEL.
    env: { LOG_LEVEL: 'silent' },
    // Real-database tests create databases and run migrations, slower than unit tests.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // vitest's default, pinned: each test file runs in its own process, so a database client
    // or PGlite instance one file leaves open cannot affect another.
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: system } },
      { extends: true, test: { name: 'system', include: system } },
    ],
  },
});
