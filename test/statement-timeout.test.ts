/**
 * The statement timeout and cancellation: a statement past `statementTimeoutMs` is cancelled in
 * PostgreSQL (QUERY_TOO_COMPLEX, HTTP 400, naming the limit), so is that of a request whose client
 * went away, and the pool serves the next request; `/ready` answers "busy" while every pooled
 * connection is taken. A statement is made slow by a lock another connection holds, so the tests
 * need no large data. PGlite cannot interrupt a statement (it runs in this thread): there the
 * request is stopped at its next statement.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../models/index.ts';
import { EnvReader } from '../server/env.ts';
import { readSettings } from '../server/settings.ts';
import { demoSeed, type GraphQLResponse, startTestServer, type TestServer } from './support/test-server.ts';

const TIMEOUT_MS = 300;

async function post(api: TestServer, query: string, init: RequestInit = {}) {
  const started = performance.now();
  const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    ...init,
  });
  const body = (await response.json()) as GraphQLResponse;
  return { status: response.status, body, ms: performance.now() - started };
}

function expectTimedOut(answer: Awaited<ReturnType<typeof post>>) {
  expect(answer.status).toBe(400);
  const codes = answer.body.errors?.map((error) => error.extensions) ?? [];
  expect(codes.length).toBeGreaterThan(0);
  for (const extensions of codes) {
    expect(extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'statementTimeoutMs',
      max: TIMEOUT_MS,
    });
  }
  expect(answer.body.errors?.[0]?.message).toContain('A statement may run for 300 ms (statementTimeoutMs)');
}

describe('statementTimeoutMs', () => {
  const settingsOf = (env: Record<string, string>, options = {}) => {
    const reader = new EnvReader(env);
    const settings = readSettings(reader, options);
    return { settings, check: () => reader.check() };
  };

  it('defaults to 10 s, is read from RELGRAPH_STATEMENT_TIMEOUT_MS, and is checked', () => {
    expect(settingsOf({}).settings.statementTimeoutMs).toBe(10_000);
    expect(settingsOf({ RELGRAPH_STATEMENT_TIMEOUT_MS: '2500' }).settings.statementTimeoutMs).toBe(2500);
    expect(settingsOf({}, { statementTimeoutMs: 700 }).settings.statementTimeoutMs).toBe(700);
    expect(settingsOf({ RELGRAPH_STATEMENT_TIMEOUT_MS: '0' }).check).toThrow(
      'RELGRAPH_STATEMENT_TIMEOUT_MS must be an integer from 100 to 3600000; received "0".',
    );
    expect(() => settingsOf({}, { statementTimeoutMs: 5.5 })).toThrow(
      'statementTimeoutMs must be an integer from 100 to 3600000; received 5.5.',
    );
  });
});

/** Statements of the database of `sql` waiting for a lock. */
async function waitingOnLocks(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<[{ count: number }]>`
    select count(*)::int as count from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`;
  return row?.count ?? 0;
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; !(await condition()); attempt += 1) {
    if (attempt > 100) throw new Error(`${what} (waited 5 s)`);
    await sleep(50);
  }
}

/**
 * Holds an exclusive lock on "users" through one connection of `sql` (every read of the table
 * waits) until the returned function is called.
 */
async function lockUsers(sql: postgres.Sql): Promise<() => Promise<void>> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const taken = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const transaction = sql.begin(async (tx) => {
    await tx`lock table users in access exclusive mode`;
    locked();
    await released;
  });
  await taken;
  return async () => {
    release();
    await transaction;
  };
}

describe('statement timeout on postgres', () => {
  let api: TestServer;
  let patient: TestServer;
  /** Two connections to each server's database: one holds the lock, the other looks at pg_stat_activity. */
  let side: postgres.Sql;
  let patientSide: postgres.Sql;
  const nothingWaits = (sql: postgres.Sql) => async () => (await waitingOnLocks(sql)) === 0;

  beforeAll(async () => {
    [api, patient] = await Promise.all([
      startTestServer('postgres', demoModels, { seed: demoSeed(5), statementTimeoutMs: TIMEOUT_MS }),
      // The default timeout (10 s): what ends its statements early is tested.
      startTestServer('postgres', demoModels, { seed: demoSeed(2) }),
    ]);
    side = postgres(api.database.url as string, { max: 2, onnotice: () => {} });
    patientSide = postgres(patient.database.url as string, { max: 2, onnotice: () => {} });
  });
  afterAll(async () => {
    await Promise.all([side?.end(), patientSide?.end()]);
    await Promise.all([api?.close(), patient?.close()]);
  });

  it('cancels a statement past the timeout in PostgreSQL, answers QUERY_TOO_COMPLEX, and serves the next request', async () => {
    const unlock = await lockUsers(side);
    try {
      const answer = await post(api, '{ users(first: 1) { totalCount } }');
      expectTimedOut(answer);
      // Answered at the deadline, not when the lock went: generous bound for a loaded machine.
      expect(answer.ms).toBeLessThan(TIMEOUT_MS + 5000);
      await until(nothingWaits(side), 'the cancelled statement did not leave PostgreSQL');
    } finally {
      await unlock();
    }
    const next = await post(api, '{ users(first: 1) { totalCount } }');
    expect(next.body).toMatchObject({ data: { users: { totalCount: 5 } } });
  });

  it('cancels a statement inside a mutation, rolling the mutation back', async () => {
    const unlock = await lockUsers(side);
    try {
      const answer = await post(
        api,
        'mutation { createRole(input: { name: "timed-out", users: { create: [{ name: "T", email: "t@example.com" }] } }) { id } }',
      );
      expectTimedOut(answer);
      await until(nothingWaits(side), 'the cancelled statement did not leave PostgreSQL');
    } finally {
      await unlock();
    }
    const roles = await side<
      [{ count: number }]
    >`select count(*)::int as count from roles where name = 'timed-out'`;
    expect(roles[0]?.count).toBe(0);
  });

  it('cancels the statements of a request whose client went away, long before the timeout', async () => {
    const endpoint = await patient.server.listen(0);
    const unlock = await lockUsers(patientSide);
    try {
      const client = new AbortController();
      const request = fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ users(first: 1) { totalCount } }' }),
        signal: client.signal,
      }).catch((error: unknown) => error);
      await until(
        async () => (await waitingOnLocks(patientSide)) === 1,
        'the request did not reach PostgreSQL',
      );
      const aborted = performance.now();
      client.abort();
      expect(await request).toBeInstanceOf(Error);
      await until(nothingWaits(patientSide), 'the statement kept running after its client left');
      expect(performance.now() - aborted).toBeLessThan(5000);
    } finally {
      await unlock();
    }
  });

  it('answers /ready 200 "busy" while every pooled connection is taken, "ready" once they are back', async () => {
    const ready = async () => {
      const response = await patient.server.yoga.fetch('http://relgraph.test/ready');
      return { status: response.status, body: await response.json() };
    };
    expect(await ready()).toEqual({ status: 200, body: { status: 'ready' } });
    const unlock = await lockUsers(patientSide);
    // Five requests for the test database's four connections: four wait on the lock, one for a connection.
    const requests = Array.from({ length: 5 }, () => post(patient, '{ users(first: 1) { totalCount } }'));
    try {
      await until(async () => (await waitingOnLocks(patientSide)) === 4, 'the pool was not saturated');
      expect(await ready()).toEqual({ status: 200, body: { status: 'busy' } });
    } finally {
      await unlock();
    }
    for (const answer of await Promise.all(requests)) expect(answer.body.errors).toBeUndefined();
    expect(await ready()).toEqual({ status: 200, body: { status: 'ready' } });
  });
});

describe('statement timeout on pglite', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer('pglite', demoModels, { seed: demoSeed(3), statementTimeoutMs: TIMEOUT_MS });
  });
  afterAll(() => api?.close());

  it('stops a request at its next statement once the deadline passed (a running statement cannot be interrupted)', async () => {
    // A transaction holding the embedded database makes the request's first statement wait past the deadline.
    const held = api.server.connection.database().transaction(async (tx) => {
      await tx.execute('select 1');
      await sleep(TIMEOUT_MS * 2);
    });
    await sleep(20);
    const answer = await post(api, '{ users(first: 2) { totalCount nodes { id posts { totalCount } } } }');
    await held;
    expectTimedOut(answer);
    // The list's two statements (its rows and its count) were sent together and ran late; the posts'
    // statement was never sent.
    expect(answer.body.extensions?.sql?.statements).toBe(2);
    const next = await post(api, '{ users(first: 2) { totalCount nodes { id posts { totalCount } } } }');
    expect(next.body.errors).toBeUndefined();
  });
});
