/**
 * Issue 14's denial of service through filters, replayed on PostgreSQL with the same requests: an
 * anonymous `users(where: { or: [{ posts: { some: { title: { eq: "t0" } } } }, … ×150] }, first: 1)`
 * ran 11 s, ten of them took every pooled connection, ordinary requests failed and `/ready` said the
 * database was unreachable. Now the filter is refused before any SQL; one just under the filter
 * limit that is still slow (many posts) is cancelled at the statement timeout; ordinary requests
 * are served throughout and the pool recovers. Bounds are generous: the machine may be loaded.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { demoSeed, type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';

const TIMEOUT_MS = 300;
const FILTERED = 'query ($where: UserWhere) { users(where: $where, first: 1) { totalCount } }';
const ORDINARY = '{ users(first: 3) { nodes { id name } } }';

/** The red team's filter: `branches` relation filters in one `or` (4 nodes each, 1 for the `or`). */
const branches = (n: number) => ({
  or: Array.from({ length: n }, () => ({ posts: { some: { title: { eq: 't0' } } } })),
});

describe('filters as a denial of service, on postgres', () => {
  let api: TestServer;
  let side: postgres.Sql;
  const post = async (query: string, variables?: Record<string, unknown>) => {
    const started = performance.now();
    const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLResponse;
    return { status: response.status, body, ms: performance.now() - started };
  };

  beforeAll(async () => {
    api = await startTestServer('postgres', demoModels, {
      seed: demoSeed(200),
      statementTimeoutMs: TIMEOUT_MS,
      // Anonymous, as the red team was: drafts are hidden, which adds to every EXISTS.
      authenticate: () => null,
    });
    side = postgres(api.database.url as string, { max: 1, onnotice: () => {} });
    // 400,000 published posts make each relation filter a scan that takes a while on any machine.
    await side`insert into posts (title, body, status, author_id)
      select 'bulk ' || g, 'body', 'published', 1 + g % 200 from generate_series(1, 400000) g`;
    await side`analyze posts`;
  });
  afterAll(async () => {
    await side?.end();
    await api?.close();
  });

  it('refuses the 150-branch filter before any SQL, naming the limit and the size found', async () => {
    const answer = await post(FILTERED, { where: branches(150) });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((error) => error.extensions)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'maxFilterNodes', max: 100, found: 601 },
    ]);
    expect(answer.body.extensions?.sql?.statements).toBe(0);
    expect(answer.ms).toBeLessThan(5000);
  });

  it('serves ordinary requests while ten such requests arrive in parallel', async () => {
    const attacks = Array.from({ length: 10 }, () => post(FILTERED, { where: branches(150) }));
    const ordinary = Array.from({ length: 10 }, () => post(ORDINARY));
    for (const answer of await Promise.all(attacks)) {
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ limit: 'maxFilterNodes' });
    }
    for (const answer of await Promise.all(ordinary)) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.ms).toBeLessThan(5000);
    }
  });

  it('cancels ten slow filters just under the limit at the timeout, serving ordinary requests, and the pool recovers', async () => {
    // 24 branches: 97 nodes, under the limit of 100, and slow over 400,000 posts (over a second here).
    const slow = branches(24);
    const attacks = Array.from({ length: 10 }, () => post(FILTERED, { where: slow }));
    const ordinary = Array.from({ length: 5 }, () => post(ORDINARY));
    const ready = await api.server.yoga.fetch('http://relgraph.test/ready');
    expect(ready.status).toBe(200);
    expect(['ready', 'busy']).toContain(((await ready.json()) as { status: string }).status);
    for (const answer of await Promise.all(attacks)) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({
        code: 'QUERY_TOO_COMPLEX',
        limit: 'statementTimeoutMs',
        max: TIMEOUT_MS,
      });
      // Four connections for ten requests: three timeouts in a row at most, and the time to cancel.
      expect(answer.ms).toBeLessThan(10_000);
    }
    for (const answer of await Promise.all(ordinary)) expect(answer.body.errors).toBeUndefined();
    // Nothing of the cancelled statements runs on (a cancel lands within moments, even on a loaded
    // machine); the next requests are served as before.
    const active = async () => {
      const [running] = await side<[{ count: number }]>`
        select count(*)::int as count from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state = 'active'`;
      return running?.count;
    };
    const settled = performance.now() + 5000;
    while ((await active()) !== 0 && performance.now() < settled) await sleep(50);
    expect(await active()).toBe(0);
    const after = await post(ORDINARY);
    expect(after.body.errors).toBeUndefined();
    expect(after.ms).toBeLessThan(5000);
  });
});
