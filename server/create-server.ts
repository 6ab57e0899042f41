/** `createServer()`: the models, the database and a GraphQL endpoint, assembled. */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Authenticate } from '../access/authenticate.ts';
import { connectDatabase, type DatabaseConnection } from '../db/client.ts';
import { buildTables, type Tables } from '../db/tables.ts';
import { buildResolvers } from '../resolvers/build-resolvers.ts';
import { buildRelationGraph } from '../schema/build-graph.ts';
import type { RelationGraph } from '../schema/graph.ts';
import type { Model } from '../schema/model.ts';
import { buildTypeDefs } from '../schema/type-defs.ts';
import { createContext, type RequestContext } from './context.ts';
import { type PrepareDatabase, prepareDatabase } from './prepare-database.ts';
import { useCompiledExecution } from './use-compiled-execution.ts';
import { useDiagram } from './use-diagram.ts';
import { useInputErrorCodes } from './use-input-error-codes.ts';
import { useSqlStats } from './use-sql-stats.ts';
import { useStatementScope } from './use-statement-scope.ts';

export interface ServerOptions {
  /** Every model of the API; relation targets must be among them. */
  models: readonly Model[];
  /** `postgres://…`; default: the embedded PGlite database. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; default: in memory. Ignored with `databaseUrl`. */
  dataDir?: string | undefined;
  /** postgres.js pool size. Default 10. */
  poolSize?: number | undefined;
  /** An open connection to use instead of opening one; the server then leaves it open on `close`. */
  connection?: DatabaseConnection | undefined;
  /** How the database schema is prepared on start. Default `'push'`. */
  prepare?: PrepareDatabase | undefined;
  /** `extensions.sql.statements` on responses. Default: env `RELGRAPH_SQL_STATS` (1/0), else on unless NODE_ENV=production. */
  sqlStats?: boolean | undefined;
  /** Fail a request that runs more SQL statements than this (QUERY_TOO_COMPLEX). Default: no limit. */
  maxStatementsPerRequest?: number | undefined;
  /** The largest `first` of a list. Default 100. */
  maxPageSize?: number | undefined;
  /** Queries run as code compiled per document (graphql-jit). Default: on. */
  compiledExecution?: boolean;
  /** GraphiQL on `GET /graphql` from a browser, with this query open. Default: on unless NODE_ENV=production. */
  graphiql?: boolean | { defaultQuery?: string } | undefined;
  /** The relationship diagram on `GET /diagram` (also `.svg`, `.mmd`). Default: as `graphiql`. */
  diagram?: boolean | undefined;
  /**
   * The viewer of each request, whom the models' access rules see (`bearerAuthenticator(…)` verifies
   * JWTs). Default: every request is anonymous (`viewer` is `null`).
   */
  authenticate?: Authenticate | undefined;
}

export interface RelgraphServer {
  readonly graph: RelationGraph;
  readonly tables: Tables;
  readonly schema: GraphQLSchema;
  /** The generated SDL. */
  readonly typeDefs: string;
  readonly connection: DatabaseConnection;
  /** The yoga instance: `yoga.fetch('http://localhost/graphql', …)` runs a request without a port. */
  readonly yoga: YogaServerInstance<Record<string, never>, RequestContext>;
  /** Starts listening (default port 4000 on 127.0.0.1); resolves with the GraphQL URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops listening, then closes the database unless it was passed in as `connection`. */
  close(): Promise<void>;
}

const production = () => process.env.NODE_ENV === 'production';

function sqlStatsDefault(): boolean {
  const fromEnvironment = process.env.RELGRAPH_SQL_STATS;
  if (fromEnvironment === '1' || fromEnvironment === 'true') return true;
  if (fromEnvironment === '0' || fromEnvironment === 'false') return false;
  return !production();
}

/** Builds the graph (throwing `ModelDefinitionError` for bad models), prepares the database, and the endpoint. */
export async function createServer(options: ServerOptions): Promise<RelgraphServer> {
  const graph = buildRelationGraph(options.models);
  const tables = buildTables(graph);
  const typeDefs = buildTypeDefs(graph);
  const schema = makeExecutableSchema({ typeDefs, resolvers: buildResolvers(graph, tables, typeDefs) });
  const connection =
    options.connection ??
    (await connectDatabase({
      url: options.databaseUrl,
      dataDir: options.dataDir,
      poolSize: options.poolSize,
    }));
  await prepareDatabase(connection, tables, options.prepare ?? 'push');

  const contextOptions = {
    maxPageSize: options.maxPageSize ?? 100,
    maxStatementsPerRequest: options.maxStatementsPerRequest ?? Number.POSITIVE_INFINITY,
  };
  const graphiql = options.graphiql ?? !production();
  const sqlStats = options.sqlStats ?? sqlStatsDefault();
  const { authenticate } = options;
  const yoga = createYoga<Record<string, never>, RequestContext>({
    schema,
    context: authenticate
      ? async ({ request }) =>
          createContext(connection, graph, tables, contextOptions, await authenticate(request))
      : () => createContext(connection, graph, tables, contextOptions),
    // Statistics first, so they also report requests that stop before execution (bad variables).
    // Counting runs only where something reads the count: no AsyncLocalStorage cost otherwise.
    plugins: [
      ...(sqlStats ? [useSqlStats()] : []),
      useInputErrorCodes(),
      ...((options.diagram ?? graphiql !== false) ? [useDiagram(graph, '/graphql')] : []),
      // Before the statement scope, which wraps whichever executor runs.
      ...(options.compiledExecution === false ? [] : [useCompiledExecution()]),
      ...(sqlStats || Number.isFinite(contextOptions.maxStatementsPerRequest) ? [useStatementScope()] : []),
    ],
    graphiql: graphiql === false ? false : { title: 'relgraph', ...(graphiql === true ? {} : graphiql) },
    renderGraphiQL,
    logging: production() ? 'info' : 'warn',
  });

  let http: Server | undefined;
  return {
    graph,
    tables,
    schema,
    typeDefs,
    connection,
    yoga,
    listen(port = 4000, host = '127.0.0.1') {
      const server = createHttpServer(yoga);
      http = server;
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: bound } = server.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${bound}${yoga.graphqlEndpoint}`);
        });
      });
    },
    async close() {
      if (http) {
        const server = http;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
      }
      await yoga.dispose();
      if (!options.connection) await connection.close();
    },
  };
}
