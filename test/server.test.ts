import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConnection } from '../db/client.ts';
import { pendingMigration } from '../db/migrations.ts';
import { pushSchema } from '../db/push.ts';
import { buildTables } from '../db/tables.ts';
import { demoModels, Role, User } from '../models/index.ts';
import { seedDemo } from '../models/seed.ts';
import { buildRelationGraph } from '../schema/build-graph.ts';
import { ModelDefinitionError } from '../schema/definition-error.ts';
import { type Field, field } from '../schema/field.ts';
import { type Model, model } from '../schema/model.ts';
import { belongsTo } from '../schema/relation.ts';
import { MIGRATIONS } from '../server/commands/demo-database.ts';
import { createServer, type RelgraphServer } from '../server/create-server.ts';
import type { PrepareDatabase } from '../server/prepare-database.ts';
import { printedHeaders, startServerProcess } from './support/cli.ts';
import { createTestDatabase, drivers, type TestDatabase } from './support/databases.ts';
import { targetsByName } from './support/model-copies.ts';
import { executeRows } from './support/row-counts.ts';
import type { GraphQLResponse } from './support/test-server.ts';

async function post(server: RelgraphServer, query: string): Promise<GraphQLResponse> {
  const response = await server.yoga.fetch('http://relgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as GraphQLResponse;
}

async function totalUsers(server: RelgraphServer): Promise<number | undefined> {
  const result = await post(server, '{ users { totalCount } }');
  return (result.data?.users as { totalCount: number } | undefined)?.totalCount;
}

const selectRows = (connection: DatabaseConnection, query: SQL) => executeRows(connection.database(), query);

/** A demo-model server on `connection`, recording every statement run outside a request (preparing it). */
async function startRecorded(connection: DatabaseConnection, prepare: PrepareDatabase) {
  const statements: string[] = [];
  const recorder: Logger = { logQuery: (query) => statements.push(query) };
  const server = await createServer({
    models: demoModels,
    prepare,
    connection: { ...connection, database: (logger) => connection.database(logger ?? recorder) },
  });
  const created = (table: string) =>
    statements.some((statement) => statement.includes(`CREATE TABLE "${table}"`));
  const schemaChanges = () =>
    statements.filter(
      (text) => /^\s*(create|alter|drop)\b/i.test(text) && !text.includes('relgraph_pushed_schema'),
    );
  return { server, statements, created, schemaChanges };
}

describe('createServer through yoga.fetch', () => {
  let server: RelgraphServer;
  beforeAll(async () => {
    server = await createServer({ models: demoModels, sqlStats: true });
    await seedDemo(server.connection.database(), server.tables, 3);
  });
  afterAll(() => server?.close());

  it('answers the health check with 200', async () => {
    expect((await server.yoga.fetch('http://relgraph.test/health')).status).toBe(200);
  });

  it('serves GraphiQL to a browser on GET /graphql, with every asset inline (works offline)', async () => {
    const response = await server.yoga.fetch('http://relgraph.test/graphql', {
      headers: { accept: 'text/html' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toContain('unpkg.com');
    expect(html).not.toMatch(/<(script|link)\b[^>]*\b(src|href)=["']?(https?:)?\/\//i);
  });

  it('runs a query sent with GET (with a CSRF-prevention header)', async () => {
    const query = encodeURIComponent('{ users(first: 2) { nodes { id role { name } } } }');
    const response = await server.yoga.fetch(`http://relgraph.test/graphql?query=${query}`, {
      headers: { accept: 'application/json', 'x-graphql-csrf': '1' },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as GraphQLResponse;
    expect(result.data).toEqual({
      users: {
        nodes: [
          { id: '1', role: { name: 'admin' } },
          { id: '2', role: { name: 'member' } },
        ],
      },
    });
    expect(result.extensions?.sql?.statements).toBe(2);
  });

  it('rejects bad models with ModelDefinitionError before opening a database', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'relgraph-bad-models-'));
    try {
      const Ghost = model('Ghost', { fields: { id: field.id() } });
      const Orphan = model('Orphan', {
        fields: { id: field.id() },
        relations: { owner: belongsTo(() => Ghost) },
      });
      const attempt = createServer({ models: [Orphan], dataDir: join(folder, 'bad', 'data') });
      await expect(attempt).rejects.toBeInstanceOf(ModelDefinitionError);
      await expect(attempt).rejects.toThrow(/Orphan\.owner.*"Ghost"/);
      expect(existsSync(join(folder, 'bad'))).toBe(false);

      const good = await createServer({ models: [Orphan, Ghost], dataDir: join(folder, 'good', 'data') });
      await good.close();
      expect(existsSync(join(folder, 'good'))).toBe(true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe.each(drivers)('preparing the database on %s', (driver) => {
  let pushed: TestDatabase;
  let migrated: TestDatabase;
  beforeAll(async () => {
    [pushed, migrated] = await Promise.all([createTestDatabase(driver), createTestDatabase(driver)]);
  });
  afterAll(() => Promise.all([pushed?.drop(), migrated?.drop()]));

  it("'none' leaves an empty database untouched, and a query then fails cleanly", async () => {
    const { server, statements } = await startRecorded(pushed.connection, 'none');
    try {
      expect(statements).toEqual([]);
      const tables = sql`select table_name from information_schema.tables where table_schema = 'public'`;
      expect(await selectRows(pushed.connection, tables)).toEqual([]);
      const result = await post(server, '{ users { totalCount } }');
      expect(result.data).toBeNull();
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(JSON.stringify(result)).not.toMatch(/at \/|Failed query|select "id"/);
    } finally {
      await server.close();
    }
  });

  it("'push' creates the tables; a second server on the same database pushes nothing and keeps the data", async () => {
    const first = await startRecorded(pushed.connection, 'push');
    await seedDemo(pushed.connection.database(), first.server.tables, 5);
    await first.server.close();
    expect(first.created('users')).toBe(true);

    const second = await startRecorded(pushed.connection, 'push');
    try {
      expect(second.schemaChanges()).toEqual([]);
      expect(await pushSchema(pushed.connection.database(), second.server.tables)).toEqual([]);
      expect(await totalUsers(second.server)).toBe(5);
    } finally {
      await second.server.close();
    }
  });

  it("'none' serves a database prepared before without changing it", async () => {
    const { server, statements } = await startRecorded(pushed.connection, 'none');
    try {
      expect(statements).toEqual([]);
      expect(await totalUsers(server)).toBe(5);
    } finally {
      await server.close();
    }
  });

  it('applies the committed db/migrations, and applying them again changes nothing and keeps the data', async () => {
    const first = await startRecorded(migrated.connection, { migrationsFolder: MIGRATIONS });
    await seedDemo(migrated.connection.database(), first.server.tables, 4);
    await first.server.close();
    expect(first.created('users')).toBe(true);

    const second = await startRecorded(migrated.connection, { migrationsFolder: MIGRATIONS });
    try {
      expect(second.created('users')).toBe(false);
      const applied = sql`select count(*)::int as count from drizzle.__drizzle_migrations`;
      const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8'));
      expect(await selectRows(migrated.connection, applied)).toEqual([{ count: journal.entries.length }]);
      expect(await totalUsers(second.server)).toBe(4);
    } finally {
      await second.server.close();
    }
  });
});

describe('committed migrations against the models', () => {
  const pendingFor = (models: readonly Model[]) =>
    pendingMigration(buildTables(buildRelationGraph(models)), MIGRATIONS);
  /** The demo models with one model replaced by a copy that has one more field. */
  const withField = (modelName: string, name: string, added: Field) =>
    targetsByName(demoModels).map((definition) =>
      definition.name === modelName
        ? { ...definition, fields: { ...definition.fields, [name]: added } }
        : definition,
    );

  it('match the demo models (run `npm run migrations:generate` after a model change if this fails)', async () => {
    expect(await pendingFor(demoModels)).toEqual([]);
    expect(await pendingFor(targetsByName(demoModels))).toEqual([]);
  });

  it('are reported as behind when a model gains a field', async () => {
    const pending = await pendingFor(withField(User.name, 'nickname', field.string({ optional: true })));
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatch(/^ALTER TABLE "users" ADD COLUMN "nickname" text/);
  });

  it('are reported as behind when a unique field (and its index) is added', async () => {
    const pending = (await pendingFor(withField(Role.name, 'code', field.string({ unique: true })))).join(
      '\n',
    );
    expect(pending).toContain('ALTER TABLE "roles" ADD COLUMN "code" text NOT NULL');
    expect(pending).toContain('ADD CONSTRAINT "roles_code_unique" UNIQUE("code")');
  });
});

/** Runs `npm start` with `env`; once it serves, runs `check`, then stops it and resolves with the exit code. */
async function runCli(
  env: Record<string, string>,
  check: (url: string, output: string) => Promise<void>,
): Promise<number | null> {
  const server = await startServerProcess(env);
  try {
    await check(server.url, server.output);
  } catch (error) {
    server.kill();
    throw error;
  }
  return server.stop();
}

async function queryCli(
  url: string,
  query = '{ users(first: 3) { totalCount nodes { id phone { number } posts { totalCount } } } }',
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as GraphQLResponse;
}

/**
 * The seeded demo as an anonymous visitor (published posts only: 2 of each user's 3) and as the admin
 * whose header `npm start` printed (all 3).
 */
async function expectSeededDemo(url: string, output: string) {
  for (const [headers, posts] of [
    [{}, 2],
    [JSON.parse(printedHeaders(output, 'admin')) as Record<string, string>, 3],
  ] as const) {
    const result = await queryCli(url, undefined, headers);
    expect(result.errors).toBeUndefined();
    expect(result.data?.users).toEqual({
      totalCount: 1000,
      nodes: [1, 2, 3].map((id) => ({
        id: String(id),
        phone: { number: `+44 20 7946 000${id - 1}` },
        posts: { totalCount: posts },
      })),
    });
    expect(result.extensions?.sql?.statements).toBe(4);
  }
}

describe('npm start as a real process', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'relgraph-start-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('migrates and seeds an embedded database, serves it, exits 0 on SIGTERM, and does not seed twice', {
    timeout: 180_000,
  }, async () => {
    const dataDir = join(folder, 'data');
    const firstExit = await runCli({ RELGRAPH_DATA_DIR: dataDir }, async (url, output) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      expect(output).toContain('seeding the demo data');
      expect(output).toContain(`embedded PGlite in ${dataDir}`);
      await expectSeededDemo(url, output);
      const invalid = await queryCli(url, '{ user(id: "abc") { id } }');
      expect(invalid.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });
    expect(firstExit).toBe(0);

    const secondExit = await runCli({ RELGRAPH_DATA_DIR: dataDir }, async (url, output) => {
      expect(output).not.toContain('seeding');
      await expectSeededDemo(url, output);
    });
    expect(secondExit).toBe(0);
  });

  it('migrates and seeds PostgreSQL given DATABASE_URL', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase('postgres');
    try {
      if (!database.url) throw new Error('a PostgreSQL test database has a URL');
      const unused = join(folder, 'unused');
      const exit = await runCli(
        { DATABASE_URL: database.url, RELGRAPH_DATA_DIR: unused },
        async (url, output) => {
          expect(output).toContain('seeding the demo data');
          expect(output).toContain('from PostgreSQL');
          await expectSeededDemo(url, output);
        },
      );
      expect(exit).toBe(0);
      expect(existsSync(unused)).toBe(false);
    } finally {
      await database.drop();
    }
  });
});
