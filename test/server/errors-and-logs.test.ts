/**
 * What clients see of a failure and what the log keeps: one request line each (id, operation,
 * duration, statements, outcome); unexpected errors masked for the client and logged with the
 * request id, operation and cause; development details without credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoQuery } from '../../cli/demo-query.ts';
import { demoModels } from '../../models/index.ts';
import { createServer, type RelgraphServer } from '../../server/create-server.ts';
import { redactSecrets, secretsOf } from '../../server/redact.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../support/databases.ts';
import { findFreePort } from '../support/local-postgres.ts';
import { type CapturedLogs, captureLogs } from '../support/log-capture.ts';
import {
  demoAdmin,
  demoSeed,
  type GraphQLResponse,
  startTestServer,
  type TestServer,
} from '../support/test-server.ts';

async function post(server: RelgraphServer, query: string, variables?: Record<string, unknown>) {
  const response = await server.yoga.fetch('http://relgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    reqId: response.headers.get('x-request-id'),
    body: (await response.json()) as GraphQLResponse,
  };
}

describe.each(drivers)('request logs on %s', (driver) => {
  let api: TestServer;
  let logs: CapturedLogs;
  beforeAll(async () => {
    logs = captureLogs();
    api = await startTestServer(driver, demoModels, { seed: demoSeed(12), logger: logs.logger });
  });
  afterAll(() => api?.close());

  it('writes one line per request: id, operation, duration, statements, status, outcome', async () => {
    const { reqId, body } = await post(api.server, demoQuery);
    expect(body.errors).toBeUndefined();
    const [line, ...more] = logs.of(reqId);
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'POST',
      path: '/graphql',
      status: 200,
      operation: 'UsersWithRelations',
      statements: 8,
      outcome: 'ok',
    });
    expect(line?.statements).toBe(body.extensions?.sql?.statements);
    expect(line?.durationMs).toEqual(expect.any(Number));
    expect(typeof line?.time).toBe('string');
  });

  it('counts the statements of a mutation, and names an anonymous operation by its type', async () => {
    const { reqId } = await post(
      api.server,
      'mutation { createUser(input: { name: "Logged", email: "logged@example.com", role: { connect: { name: "member" } } }) { id role { name } } }',
    );
    expect(logs.of(reqId)).toEqual([
      expect.objectContaining({ operation: 'mutation', outcome: 'ok', statements: expect.any(Number) }),
    ]);
    expect(logs.of(reqId)[0]?.statements).toBeGreaterThan(1);
  });

  it("records a client error's code without an error line", async () => {
    const { reqId } = await post(api.server, 'query Bad { user(id: "abc") { id } }');
    expect(logs.of(reqId)).toEqual([
      expect.objectContaining({
        msg: 'request',
        operation: 'Bad',
        outcome: 'client_error',
        errors: ['BAD_USER_INPUT'],
      }),
    ]);
  });

  it('names every operation of a batch', async () => {
    const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { query: 'query A { users { totalCount } }' },
        { query: 'query B { roles { totalCount } }' },
      ]),
    });
    expect(logs.of(response.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({ operation: 'A,B', statements: 2, outcome: 'ok' }),
    ]);
  });
});

describe.each(drivers)('unexpected errors on %s', (driver) => {
  let database: TestDatabase;
  let logs: CapturedLogs;
  let masked: RelgraphServer;
  let detailed: RelgraphServer;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    logs = captureLogs();
    // 'none' on an empty database: every query fails in the database, as a bug would.
    const options = { models: demoModels, connection: database.connection, prepare: 'none' as const };
    masked = await createServer({ ...options, logger: logs.logger });
    detailed = await createServer({ ...options, errorDetails: true, logger: captureLogs().logger });
  });
  afterAll(async () => {
    await Promise.all([masked?.close(), detailed?.close()]);
    await database?.drop();
  });

  it('are masked for the client and logged with the request id, operation and cause', async () => {
    const { status, reqId, body } = await post(masked, 'query Broken { users { totalCount } }');
    // An execution result (data: null), so 200 as GraphQL over HTTP wants; the log says server_error.
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      {
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 24 }],
        path: ['users', 'totalCount'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    const [error, request] = logs.of(reqId);
    expect(error).toMatchObject({
      level: 'error',
      msg: 'unexpected error',
      operation: 'Broken',
      path: 'users.totalCount',
    });
    expect(error?.err).toMatchObject({ message: expect.stringContaining('relation "users" does not exist') });
    expect(request).toMatchObject({
      msg: 'request',
      outcome: 'server_error',
      errors: ['INTERNAL_SERVER_ERROR'],
    });
  });

  it('show their cause in development (errorDetails): messages and SQLSTATE, never a stack', async () => {
    const { body } = await post(detailed, '{ users { totalCount } }');
    const [error] = body.errors ?? [];
    expect(error?.message).toBe('Unexpected error.');
    expect(error?.extensions?.originalError).toMatchObject({
      message: expect.stringContaining('Failed query'),
      cause: { message: 'relation "users" does not exist', code: '42P01' },
    });
    expect(JSON.stringify(body)).not.toMatch(/stack|\.ts:\d+|node_modules/);
  });
});

describe('database credentials on postgres', () => {
  const PASSWORD = 'S3cret-Pa55-w0rd';
  let database: TestDatabase;
  let servers: RelgraphServer[];
  let logs: CapturedLogs;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    logs = captureLogs();
    const url = new URL(database.url ?? '');
    url.password = PASSWORD; // the test server trusts loopback: any password is accepted
    const away = new URL(url);
    away.port = String(await findFreePort()); // nothing listens there
    // As the demo's admin: the access rules let the write through to the database, which fails it.
    const options = {
      models: demoModels,
      errorDetails: true,
      logger: logs.logger,
      connectTimeoutMs: 1000,
      authenticate: () => demoAdmin,
    };
    servers = [await createServer({ ...options, databaseUrl: url.toString(), prepare: 'none' })];
    const started = createServer({ ...options, databaseUrl: away.toString(), prepare: 'none' });
    servers.push(await started);
  });
  afterAll(async () => {
    await Promise.all(servers?.map((server) => server.close()) ?? []);
    await database?.drop();
  });

  it('never appear in a development response or in the log, whatever fails', async () => {
    const [reachable, unreachable] = servers as [RelgraphServer, RelgraphServer];
    const answers = [
      await post(reachable, '{ users { totalCount } }'),
      await post(reachable, 'mutation { createRole(input: { name: "x" }) { id } }'),
      await post(unreachable, '{ users { totalCount } }'),
    ];
    expect(answers.map((answer) => answer.body.errors?.[0]?.extensions?.code)).toEqual([
      'INTERNAL_SERVER_ERROR',
      'INTERNAL_SERVER_ERROR',
      'SERVICE_UNAVAILABLE',
    ]);
    for (const { body } of answers) expect(JSON.stringify(body)).not.toContain(PASSWORD);
    expect(logs.lines.length).toBeGreaterThan(3);
    expect(JSON.stringify(logs.lines)).not.toContain(PASSWORD);
  });

  it('are redacted from any text shown to a client: URLs, key=value strings, the configured password', () => {
    const secrets = secretsOf(`postgres://app:${encodeURIComponent('p@ss word')}@db:5432/app`);
    expect(secrets).toEqual(['p%40ss%20word', 'p@ss word']);
    expect(redactSecrets('connecting to postgresql://app:hunter2@db.internal:5432/app failed', [])).toBe(
      'connecting to postgresql://app:***@db.internal:5432/app failed',
    );
    expect(redactSecrets("host=db user=app password='hunter 2' dbname=app", [])).toBe(
      'host=db user=app password=*** dbname=app',
    );
    expect(redactSecrets('the password p@ss word was refused', secrets)).toBe('the password *** was refused');
  });
});
