/**
 * Vitest globalSetup: gives every test file a PostgreSQL server URL through `inject('databaseUrl')`.
 *
 * TEST_DATABASE_URL wins when set (CI, or a developer's own server). Otherwise a throwaway cluster
 * is started on a free loopback port and deleted in teardown, so `npm test` needs no setup beyond
 * the PostgreSQL server binaries. Tests may create and drop databases on the server they receive.
 */
import type { TestProject } from 'vitest/node';
import { findBinDir, startThrowawayServer } from './local-postgres.ts';

export async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('databaseUrl', given);
    return;
  }
  const binDir = await findBinDir();
  if (!binDir) {
    throw new Error(
      'The tests need PostgreSQL, but no server binaries (initdb, pg_ctl) were found via pg_config ' +
        'or in /usr/lib/postgresql/*/bin. Either set TEST_DATABASE_URL to a PostgreSQL server the ' +
        'tests may create databases on (e.g. postgres://postgres@127.0.0.1:5432/postgres), or install ' +
        'PostgreSQL (apt-get install postgresql).',
    );
  }
  const server = await startThrowawayServer(binDir);
  project.provide('databaseUrl', server.url);
  return server.stop;
}
