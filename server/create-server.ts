/** `createServer()`: the models, the database and a GraphQL endpoint, assembled. */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Authenticate } from '../access/authenticate.ts';
import { connectDatabase, type DatabaseConnection } from '../db/client.ts';
import { buildTables, type Tables } from '../db/tables.ts';
import { buildResolvers } from '../resolvers/build-resolvers.ts';
import { ConstraintIndex } from '../resolvers/write/database-errors.ts';
import { buildRelationGraph } from '../schema/build-graph.ts';
import type { RelationGraph } from '../schema/graph.ts';
import type { Model } from '../schema/model.ts';
import { buildTypeDefs } from '../schema/type-defs.ts';
import { createContext, type RequestContext } from './context.ts';
import { createDocumentCache } from './document-cache.ts';
import { createHttpListener } from './http-listener.ts';
import { createLogger, type Logger, yogaLogger } from './logging.ts';
import { createMaskError } from './mask-error.ts';
import { buildPlugins } from './plugins.ts';
import { type PrepareDatabase, prepareDatabase } from './prepare-database.ts';
import { secretsOf } from './redact.ts';
import { resolveSettings, type ServerSettings, type SettingsOptions } from './settings.ts';

/**
 * Every option after `prepare` falls back to an environment variable (README, "Configuration"),
 * then to a default; a bad variable fails `createServer` with a message naming it.
 */
export interface ServerOptions extends SettingsOptions {
  /** Every model of the API; relation targets must be among them. */
  models: readonly Model[];
  /** `postgres://…`; default: the embedded PGlite database. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; default: in memory. Ignored with `databaseUrl`. */
  dataDir?: string | undefined;
  /** Connection pool size (PostgreSQL). Default 10. */
  poolSize?: number | undefined;
  /** An open connection to use instead of opening one; the server then leaves it open on `close`. */
  connection?: DatabaseConnection | undefined;
  /** How the database schema is prepared on start. Default `'push'`. */
  prepare?: PrepareDatabase | undefined;
  /** Queries run as code compiled per document (graphql-jit). Default: on. */
  compiledExecution?: boolean;
  /**
   * The viewer of each request, whom the models' access rules see (`bearerAuthenticator(…)` verifies
   * JWTs). Default: every request is anonymous (`viewer` is `null`).
   */
  authenticate?: Authenticate | undefined;
  /** Where logs go. Default: JSON lines on stdout at `logLevel` (env `LOG_LEVEL`, default info). */
  logger?: Logger | undefined;
}

export interface RelgraphServer {
  readonly graph: RelationGraph;
  readonly tables: Tables;
  readonly schema: GraphQLSchema;
  /** The generated SDL. */
  readonly typeDefs: string;
  readonly connection: DatabaseConnection;
  /** The settings in force, from the options, the environment and the defaults. */
  readonly settings: ServerSettings;
  readonly logger: Logger;
  /** The yoga instance: `yoga.fetch('http://localhost/graphql', …)` runs a request without a port. */
  readonly yoga: YogaServerInstance<Record<string, never>, RequestContext>;
  /** Starts listening (default port 4000 on 127.0.0.1); resolves with the GraphQL URL. */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Stops accepting connections, lets requests in flight finish for up to `graceMs` (default
   * `shutdownGraceMs`), then closes the database unless it was passed in as `connection`.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Builds the graph (throwing `ModelDefinitionError` for bad models), prepares the database, and the endpoint. */
export async function createServer(options: ServerOptions): Promise<RelgraphServer> {
  const settings = resolveSettings(options);
  const logger = options.logger ?? createLogger(settings.logLevel);
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
      connectTimeoutMs: settings.connectTimeoutMs,
      maxPreparedStatements: settings.maxPreparedStatements,
    }));
  await prepareDatabase(connection, tables, options.prepare ?? 'push');

  const contextOptions = {
    maxPageSize: settings.maxPageSize,
    maxStatementsPerRequest: settings.maxStatementsPerRequest,
    statementTimeoutMs: settings.statementTimeoutMs,
  };
  const listener = createHttpListener((request, response) => yoga(request, response));
  const maskError = createMaskError({
    constraints: new ConstraintIndex(graph),
    details: settings.errorDetails,
    secrets: secretsOf(options.databaseUrl),
    statementTimeoutMs: settings.statementTimeoutMs,
  });
  const { authenticate } = options;
  const yoga = createYoga<Record<string, never>, RequestContext>({
    schema,
    context: async ({ request }) =>
      createContext(
        connection,
        graph,
        tables,
        contextOptions,
        authenticate ? await authenticate(request) : null,
        request.signal,
      ),
    plugins: buildPlugins({
      settings,
      logger,
      connection,
      graph,
      draining: () => listener.draining,
      diagram: settings.diagram ? graph : undefined,
      compiledExecution: options.compiledExecution ?? true,
    }),
    graphiql: settings.graphiql && { title: 'relgraph', ...settings.graphiql },
    renderGraphiQL,
    logging: yogaLogger(logger),
    maskedErrors: { maskError },
    // CORS and the body limit are relgraph's own plugins (plugins.ts); yoga's body limit would pipe
    // every body through a stream.
    cors: false,
    batching: { limit: settings.limits.maxBatchedOperations },
    parserAndValidationCache: { documentCache: createDocumentCache(), errorCache: createDocumentCache() },
    maxRequestBodySize: false,
    multipart: false,
    landingPage: !settings.production,
  });

  return {
    graph,
    tables,
    schema,
    typeDefs,
    connection,
    settings,
    logger,
    yoga,
    async listen(port = 4000, host = '127.0.0.1') {
      const url = `${await listener.listen(port, host)}${yoga.graphqlEndpoint}`;
      connection.announce(url);
      return url;
    },
    async close({ graceMs = settings.shutdownGraceMs } = {}) {
      const cutOff = await listener.close(graceMs);
      if (cutOff > 0)
        logger.warn({ cutOff, graceMs }, 'requests still running after the grace period were cut off');
      await yoga.dispose();
      if (!options.connection) await connection.close();
    },
  };
}
