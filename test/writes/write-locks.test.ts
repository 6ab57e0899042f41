/**
 * The locks a mutation takes on PostgreSQL: a row it only links to (a `connect` target) is locked the
 * way PostgreSQL's own foreign-key check locks it, `FOR KEY SHARE`, so a long mutation connecting a
 * Role never holds up another one connecting the same Role. PGlite runs one statement at a time, so
 * there is nothing to block there.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';

const CREATE_USER = 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id role { name } } }';
/** How long the unblocked mutation may take: generous, a blocked one never finishes. */
const BOUND_MS = 5000;

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms)),
  ]);

describe('row locks of a mutation on postgres', () => {
  let api: TestServer;
  let sql: postgres.Sql;

  const createUser = (email: string, role: string) =>
    api.query(CREATE_USER, { input: { name: 'Locker', email, role: { connect: { name: role } } } });

  beforeAll(async () => {
    api = await startTestServer('postgres', demoModels);
    sql = postgres(api.database.url as string, { max: 2, onnotice: () => {} });
    for (const name of ['shared', 'other']) {
      const created = await api.query(`mutation { createRole(input: { name: "${name}" }) { id } }`);
      expect(created.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await sql?.end();
    await api?.close();
  });

  it('lets a createUser connecting a Role through while another mutation connecting it is still open', async () => {
    // An open transaction holds the email "held@example.com": the first mutation connects Role
    // "shared", then waits on that email for as long as the transaction stays open.
    const holder = await sql.reserve();
    await holder`begin`;
    await holder`insert into users (name, email, role_id)
      select 'Holder', 'held@example.com', id from roles where name = 'other'`;
    const first = createUser('held@example.com', 'shared');
    try {
      // The first mutation waits on the holder's insert, its Role already locked.
      await expect
        .poll(
          async () =>
            (
              await sql`select count(*)::int as n from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock'`
            )[0]?.n,
          { timeout: BOUND_MS },
        )
        .toBe(1);
      const second = await within(createUser('unblocked@example.com', 'shared'), BOUND_MS);
      expect(second).toMatchObject({ data: { createUser: { role: { name: 'shared' } } } });
      expect((second as GraphQLResponse).errors).toBeUndefined();
    } finally {
      await holder`rollback`;
      holder.release();
    }
    // Once the holder is gone, the first mutation completes too.
    const done = (await first) as GraphQLResponse;
    expect(done.errors).toBeUndefined();
    expect(done.data?.createUser).toMatchObject({ role: { name: 'shared' } });
  });
});
