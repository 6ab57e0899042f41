/** A relgraph server over a test database, queried through `yoga.fetch` (no port). */
import type { Driver } from '../../db/client.ts';
import { seedDemo } from '../../models/seed.ts';
import type { Model } from '../../schema/model.ts';
import { createServer, type RelgraphServer, type ServerOptions } from '../../server/create-server.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  extensions?: { sql?: { statements: number } };
}

export interface TestServer {
  readonly server: RelgraphServer;
  readonly database: TestDatabase;
  /** Runs one GraphQL request; the response carries `extensions.sql.statements`. */
  query(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** The statement count of one request (fails the test if the response has errors). */
  statementsOf(query: string, variables?: Record<string, unknown>): Promise<number>;
  /** The data of one request (fails the test if the response has errors). */
  dataOf(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse['data']>;
  close(): Promise<void>;
}

/**
 * The demo's admin (user 1 of the seed), whom every demo rule lets through: requests run as this
 * viewer unless a test passes its own `authenticate`, so tests of other features see the demo data
 * whole. The demo's rules have tests of their own.
 */
export const demoAdmin = { id: '1', role: 'admin' } as const;

/** Starts a server with `models` on a fresh database of `driver` (schema pushed from the models). */
export async function startTestServer(
  driver: Driver,
  models: readonly Model[],
  options: Partial<ServerOptions> & { seed?: (server: RelgraphServer) => Promise<void> } = {},
): Promise<TestServer> {
  const database = await createTestDatabase(driver);
  const server = await createServer({
    models,
    connection: database.connection,
    sqlStats: true,
    authenticate: () => demoAdmin,
    ...options,
  });
  await options.seed?.(server);
  const query = async (text: string, variables?: Record<string, unknown>) => {
    const response = await server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: text, variables }),
    });
    return (await response.json()) as GraphQLResponse;
  };
  const succeeded = async (text: string, variables?: Record<string, unknown>) => {
    const result = await query(text, variables);
    if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result;
  };
  return {
    server,
    database,
    query,
    async statementsOf(text, variables) {
      return (await succeeded(text, variables)).extensions?.sql?.statements ?? Number.NaN;
    },
    async dataOf(text, variables) {
      return (await succeeded(text, variables)).data;
    },
    async close() {
      await server.close();
      await database.drop();
    },
  };
}

/** Seeds the demo data (`users` users) into a demo-model server. */
export const demoSeed = (users: number) => (server: RelgraphServer) =>
  seedDemo(server.connection.database(), server.tables, users);
