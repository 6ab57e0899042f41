/**
 * The command-line server's life on PostgreSQL: configuration checked before anything starts,
 * request logs at LOG_LEVEL, and graceful shutdown — on SIGTERM it stops accepting connections,
 * finishes the request in flight, closes the pool and exits 0; past the grace period it cuts the
 * request off and still exits 0.
 */
import { connect } from 'node:net';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, startCli } from '../support/cli-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

const started: CliProcess[] = [];
afterEach(() => {
  for (const cli of started.splice(0)) cli.kill();
});
async function cli(env: Record<string, string>) {
  const process = await startCli(env);
  started.push(process);
  return process;
}

describe('configuration checked at start', () => {
  it('reports every wrong variable at once, naming it and what it expects, and exits 1', async () => {
    const server = await cli({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://app:hunter2-secret@db/app',
      DATABASE_POOL_SIZE: '0',
      RELGRAPH_MAX_DEPTH: '-3',
      RELGRAPH_MAX_COST: '1e9',
      LOG_LEVEL: 'loud',
      RELGRAPH_CORS_ORIGINS: 'ftp://files.example.com',
      RELGRAPH_INTROSPECTION: 'maybe',
    });
    expect(await server.exited).toBe(1);
    const output = server.output();
    expect(output).toContain('relgraph: invalid configuration (8 problems)');
    for (const expected of [
      'PORT must be an integer from 0 to 65535; received "eighty".',
      'DATABASE_URL must be a postgres:// or postgresql:// URL with a host',
      'DATABASE_POOL_SIZE must be an integer from 1 to 1000; received "0".',
      'RELGRAPH_MAX_DEPTH must be an integer from 1 to 9007199254740991; received "-3".',
      'RELGRAPH_MAX_COST must be an integer from 1 to 9007199254740991; received "1e9".',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; received "loud".',
      'RELGRAPH_CORS_ORIGINS must be a comma-separated list of origins',
      'RELGRAPH_INTROSPECTION must be 1, 0, true or false; received "maybe".',
    ]) {
      expect(output).toContain(expected);
    }
    expect(output).not.toContain('hunter2-secret');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('refuses GraphiQL without introspection by environment', async () => {
    const server = await cli({ RELGRAPH_INTROSPECTION: '0', RELGRAPH_GRAPHIQL: '1' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(
      'RELGRAPH_GRAPHIQL must be 0 while introspection is off; received "1".',
    );
  });
});

describe('the server process on postgres', () => {
  let database: TestDatabase;
  let admin: postgres.Sql;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    admin = postgres(database.url ?? '', { max: 2, onnotice: () => {} });
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  /** Holds an exclusive lock on `users` until the returned release is called. */
  async function lockUsers() {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const transaction = admin.begin(async (sql) => {
      await sql`lock table users in access exclusive mode`;
      locked();
      await released;
    });
    await holding;
    return async () => {
      release();
      await transaction;
    };
  }

  /** Waits until a statement of the server waits for a lock (the request is in flight). */
  async function untilWaitingForLock() {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const [row] = await admin`select count(*)::int as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`;
      if (row?.waiting > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('no statement of the server ever waited for the lock');
  }

  /** Resolves once nothing accepts connections on `url`'s port. */
  async function untilRefused(url: string) {
    const { port } = new URL(url);
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      if (refused) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the server kept accepting connections after SIGTERM');
  }

  const slowQuery = (url: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Slow { users { totalCount } }' }),
    });

  it('logs each request as a JSON line at LOG_LEVEL=info; on SIGTERM finishes the request in flight and exits 0', {
    timeout: 180_000,
  }, async () => {
    const server = await cli({ DATABASE_URL: database.url ?? '', LOG_LEVEL: 'info' });
    const url = await server.serving();
    const ready = await fetch(`${new URL(url).origin}/ready`);
    expect(await ready.json()).toEqual({ status: 'ready' });

    const release = await lockUsers();
    const inFlight = slowQuery(url);
    await untilWaitingForLock();
    server.child.kill('SIGTERM');
    await untilRefused(url);
    expect(server.child.exitCode).toBeNull();

    await release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { users: { totalCount: 1000 } } });
    expect(await server.exited).toBe(0);

    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'request',
        operation: 'Slow',
        status: 200,
        statements: 1,
      }),
    );
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        'shutting down: no new connections, finishing requests in flight',
        'shut down',
      ]),
    );
  });

  it('cuts off a request still running after the grace period, closes the pool and exits 0 (SIGINT)', {
    timeout: 180_000,
  }, async () => {
    const server = await cli({
      DATABASE_URL: database.url ?? '',
      LOG_LEVEL: 'warn',
      RELGRAPH_SHUTDOWN_GRACE_MS: '300',
    });
    const url = await server.serving();
    const release = await lockUsers();
    try {
      const inFlight = slowQuery(url).then(
        (response) => response.status,
        (error: Error) => error.name,
      );
      await untilWaitingForLock();
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
      expect(await inFlight).toBe('TypeError'); // fetch failed: the connection was closed
    } finally {
      await release();
    }
    const output = server.output();
    expect(output).toContain('"cutOff":1');
    expect(output).toContain('requests still running after the grace period were cut off');
    // warn: no request lines
    expect(output).not.toContain('"msg":"request"');
  });
});
