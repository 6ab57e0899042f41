/**
 * Database faults on a real PostgreSQL of the test's own (the shared test server is never stopped):
 * under load the cluster is killed (`pg_ctl stop -m immediate`, as abrupt as a crash), requests
 * fail fast with SERVICE_UNAVAILABLE while /ready reports it, and once PostgreSQL is back the same
 * server process serves again. Counting rows then shows every acknowledged nested create whole in
 * the database and no create half-written.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { seedDemo } from '../../models/seed.ts';
import { createServer, type RelgraphServer } from '../../server/create-server.ts';
import { findBinDir, startThrowawayServer } from '../support/local-postgres.ts';
import { type CapturedLogs, captureLogs } from '../support/log-capture.ts';
import { must } from '../support/must.ts';
import { sqlRows } from '../support/row-counts.ts';
import { demoAdmin, type GraphQLResponse } from '../support/test-server.ts';

const CLIENTS = 8;
const SEEDED_USERS = 20;

interface Answer {
  readonly kind: 'create' | 'query';
  readonly status: number;
  readonly codes: string[];
  /** Sent and answered while the database was down: after `halt` returned, before `restart` was called. */
  readonly whileDown: boolean;
}

describe('database faults on a private postgres cluster', () => {
  let cluster: Awaited<ReturnType<typeof startThrowawayServer>>;
  let server: RelgraphServer;
  let url: string;
  let logs: CapturedLogs;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);

  beforeAll(async () => {
    const binDir = must(await findBinDir(), 'PostgreSQL server binaries (initdb, pg_ctl)');
    // A commit is acknowledged only once its WAL is written: an immediate stop then loses nothing
    // that was acknowledged (the shared test server trades that for speed).
    cluster = await startThrowawayServer(binDir, ['synchronous_commit = on']);
    logs = captureLogs();
    server = await createServer({
      models: demoModels,
      databaseUrl: cluster.url,
      poolSize: 8,
      connectTimeoutMs: 1000,
      logger: logs.logger,
      // The demo's admin, whom its access rules let write.
      authenticate: () => demoAdmin,
    });
    await seedDemo(server.connection.database(), server.tables, SEEDED_USERS);
    url = await server.listen(0);
    process.on('unhandledRejection', onUnhandled);
  });
  let closed = false;
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    if (!closed) await server?.close({ graceMs: 1000 });
    await cluster?.stop();
  });

  const graphql = async (query: string, variables?: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse };
  };
  const probe = async (path: '/ready' | '/health') => {
    const response = await fetch(`${new URL(url).origin}${path}`);
    return { status: response.status, text: await response.text() };
  };

  it('fails fast while postgres is down, recovers without a restart, and loses nothing it acknowledged', {
    timeout: 300_000,
  }, async () => {
    const answers: Answer[] = [];
    const acknowledged: Array<{ email: string; id: string }> = [];
    let down = false;
    let running = true;
    let created = 0;

    const client = async (number: number) => {
      for (let n = 0; running; n += 1) {
        const email = `fault-${number}-${n}@example.com`;
        const create = n % 2 === 0;
        const sentWhileDown = down;
        const { status, body } = create
          ? await graphql(
              `mutation ($input: CreateUserInput!) { createUser(input: $input) { id email posts { totalCount } } }`,
              {
                input: {
                  name: `Fault ${number}.${n}`,
                  email,
                  role: { connect: { name: 'member' } },
                  phone: { create: { number: `+44 20 ${number} ${n}` } },
                  posts: {
                    create: [
                      { title: 'one', body: '1', status: 'draft' },
                      { title: 'two', body: '2', status: 'published' },
                    ],
                  },
                },
              },
            )
          : await graphql(
              '{ users(first: 20) { totalCount nodes { id phone { number } posts { totalCount } } } }',
            );
        const codes = [...new Set((body.errors ?? []).map((error) => String(error.extensions?.code)))];
        answers.push({ kind: create ? 'create' : 'query', status, codes, whileDown: sentWhileDown && down });
        const user = body.data?.createUser as { id: string; email: string } | undefined;
        if (user && codes.length === 0) {
          acknowledged.push({ email: user.email, id: user.id });
          created += 1;
        }
        await sleep(2);
      }
    };
    const until = async (condition: () => boolean, what: string) => {
      for (let attempt = 0; !condition(); attempt += 1) {
        if (attempt > 3000) throw new Error(`gave up waiting: ${what}`);
        await sleep(20);
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, number) => client(number)));

    try {
      await until(() => created >= 40, '40 creates before the fault');
      await cluster.halt('immediate');
      down = true;

      // No hang: while the database is still down, answers keep coming, each a SERVICE_UNAVAILABLE.
      const before = answers.length;
      await until(() => answers.filter((answer) => answer.whileDown).length >= 100, '100 answers while down');
      expect(answers.length - before).toBeGreaterThanOrEqual(100);
      const ready = await probe('/ready');
      expect(ready).toEqual({ status: 503, text: '{"status":"unavailable","database":"unreachable"}' });
      expect((await probe('/health')).status).toBe(200);

      down = false;
      await cluster.restart();
      const createdBeforeRecovery = created;
      for (let attempt = 0; (await probe('/ready')).status !== 200; attempt += 1) {
        if (attempt > 300) throw new Error('/ready never answered 200 after the restart');
        await sleep(100);
      }
      await until(() => created >= createdBeforeRecovery + 40, '40 creates after the restart');
    } finally {
      running = false;
      await load;
    }

    const whileDown = answers.filter((answer) => answer.whileDown);
    expect(new Set(whileDown.map((answer) => `${answer.status} ${answer.codes.join(',')}`))).toEqual(
      new Set(['503 SERVICE_UNAVAILABLE']),
    );
    // Around the fault, requests in flight may fail too — only ever with SERVICE_UNAVAILABLE.
    const outcomes = new Set(answers.map((answer) => answer.codes.join(',') || 'ok'));
    expect([...outcomes].sort()).toEqual(['SERVICE_UNAVAILABLE', 'ok']);
    expect(unhandled).toEqual([]);
    const unavailableLines = logs.lines.filter((line) => line.msg === 'database unavailable');
    expect(unavailableLines.length).toBeGreaterThan(0);
    expect(unavailableLines[0]).toMatchObject({ level: 'warn', reqId: expect.any(String) });

    // Every acknowledged create is there, whole.
    const emails = acknowledged.map((user) => user.email);
    const found = await sqlRows(
      server,
      sql`select u.id::text as id, u.email,
            (select count(*)::int from phones p where p.user_id = u.id) as phones,
            (select count(*)::int from posts p where p.author_id = u.id) as posts
          from users u where u.email = any(${sql.param(emails)}::text[])`,
    );
    expect(found).toHaveLength(acknowledged.length);
    expect(found.filter((user) => user.phones !== 1 || user.posts !== 2)).toEqual([]);
    const idsByEmail = new Map(found.map((user) => [user.email, user.id]));
    expect(acknowledged.filter((user) => idsByEmail.get(user.email) !== user.id)).toEqual([]);

    // No create is half-written, acknowledged or not: rows of fault users come in whole sets.
    const [counts] = await sqlRows(
      server,
      sql`select (select count(*)::int from users where email like 'fault-%') as users,
                 (select count(*)::int from phones p join users u on u.id = p.user_id where u.email like 'fault-%') as phones,
                 (select count(*)::int from posts p join users u on u.id = p.author_id where u.email like 'fault-%') as posts`,
    );
    const users = Number(counts?.users);
    expect(users).toBeGreaterThanOrEqual(acknowledged.length);
    expect(counts).toEqual({ users, phones: users, posts: 2 * users });

    // Every connection came back to the pool: one lost on a failed BEGIN would keep this waiting.
    await server.close({ graceMs: 1000 });
    closed = true;
  });
});
