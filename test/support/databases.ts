/**
 * Every integration test runs on both drivers from one file: `describe.each(drivers)`. A PostgreSQL
 * test gets a database of its own on the server from `inject('databaseUrl')`, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseConnection, type Driver } from '../../db/client.ts';

export const drivers: readonly Driver[] = ['pglite', 'postgres'];

export interface TestDatabase {
  readonly connection: DatabaseConnection;
  /** The database's URL (PostgreSQL only), for code that opens its own connection. */
  readonly url: string | undefined;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A new, empty database on `driver`. */
export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const connection = await connectDatabase();
    return { connection, url: undefined, drop: () => connection.close() };
  }
  const server = inject('databaseUrl');
  const name = `relgraph_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(server, name);
  const connection = await connectDatabase({ url, poolSize: 4 });
  return {
    connection,
    url,
    async drop() {
      await connection.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
