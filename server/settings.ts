/**
 * The server's settings: each from its `createServer` option, else its environment variable, else
 * a default that depends on NODE_ENV where production needs something else than a laptop.
 */
import { DEFAULT_MAX_PREPARED_STATEMENTS } from '../db/postgres-pool.ts';
import { EnvReader } from './env.ts';
import { type QueryLimits, readLimits } from './limits/limits.ts';
import { type LogLevel, logLevels } from './logging.ts';

/**
 * The options `createServer` takes for these settings, every one optional: an option wins over its
 * environment variable, a variable over the default. *Production* means `NODE_ENV=production`.
 */
export interface SettingsOptions {
  /** Query limits (depth, aliases, cost, body size, …), merged over `defaultLimits`. Env `RELGRAPH_MAX_*`. */
  limits?: Partial<QueryLimits> | undefined;
  /** SQL statements one request may run before it fails with QUERY_TOO_COMPLEX. Env `RELGRAPH_MAX_STATEMENTS`. @default no limit */
  maxStatementsPerRequest?: number | undefined;
  /** The largest `first`/`last` of a list. Env `RELGRAPH_MAX_PAGE_SIZE`. @default 100 */
  maxPageSize?: number | undefined;
  /** `extensions.sql.statements` in every response. Env `RELGRAPH_SQL_STATS`. @default true; false in production */
  sqlStats?: boolean | undefined;
  /** Schema introspection. Env `RELGRAPH_INTROSPECTION`. @default true; false in production */
  introspection?: boolean | undefined;
  /** GraphiQL on `GET /graphql` from a browser (needs introspection). Env `RELGRAPH_GRAPHIQL`. @default as `introspection` */
  graphiql?: boolean | { defaultQuery?: string } | undefined;
  /** The relationship diagram on `GET /diagram` (also `.svg`, `.mmd`), which shows the whole model. @default as `graphiql`, so off in production unless turned on */
  diagram?: boolean | undefined;
  /** `extensions.originalError` (redacted cause chain) on unexpected errors. @default true only when `NODE_ENV=development` */
  errorDetails?: boolean | undefined;
  /** Origins allowed to call from a browser; `*` allows any. Env `RELGRAPH_CORS_ORIGINS`. @default ['*']; none in production */
  corsOrigins?: readonly string[] | undefined;
  /** Refuses requests a browser could send across origins without a preflight. @default true */
  csrfPrevention?: boolean | undefined;
  /** The level of the default logger. Env `LOG_LEVEL`. @default 'info' */
  logLevel?: LogLevel | undefined;
  /** How long a statement waits for a connection before SERVICE_UNAVAILABLE. Env `DATABASE_CONNECT_TIMEOUT_MS`. @default 5000 */
  connectTimeoutMs?: number | undefined;
  /** Statements kept prepared per PostgreSQL connection. Env `DATABASE_MAX_PREPARED_STATEMENTS`. @default 256 */
  maxPreparedStatements?: number | undefined;
  /** How long `GET /ready` waits for the database. Env `RELGRAPH_READY_TIMEOUT_MS`. @default 2000 */
  readyTimeoutMs?: number | undefined;
  /** How long requests in flight may finish on `close()` or SIGTERM. Env `RELGRAPH_SHUTDOWN_GRACE_MS`. @default 10000 */
  shutdownGraceMs?: number | undefined;
  /** How long a statement may run before it is cancelled, in ms (100 to an hour). Env `RELGRAPH_STATEMENT_TIMEOUT_MS`. @default 10000 */
  statementTimeoutMs?: number | undefined;
}

/** The settings in force (`server.settings`): every `SettingsOptions` entry resolved to its value. */
export interface ServerSettings {
  readonly production: boolean;
  readonly limits: QueryLimits;
  readonly maxStatementsPerRequest: number;
  readonly maxPageSize: number;
  readonly sqlStats: boolean;
  readonly introspection: boolean;
  readonly graphiql: false | { defaultQuery?: string };
  readonly diagram: boolean;
  readonly errorDetails: boolean;
  /** Origins allowed to call from a browser; `*` allows any (without credentials). */
  readonly corsOrigins: readonly string[];
  readonly csrfPrevention: boolean;
  readonly logLevel: LogLevel;
  readonly connectTimeoutMs: number;
  /** Statements kept prepared per PostgreSQL connection, least recently used deallocated first. */
  readonly maxPreparedStatements: number;
  readonly readyTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly statementTimeoutMs: number;
}

const HOUR_MS = 3_600_000;

const origin = {
  test: (item: string) => item === '*' || /^https?:\/\/[^/\s]+$/.test(item),
  expected: 'a comma-separated list of origins (https://app.example.com, http://localhost:3000) or *',
};

/** An integer option within `min`…`max`, or undefined when not given; throws a RangeError otherwise. */
function optionWithin(name: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined || (Number.isSafeInteger(value) && value >= min && value <= max)) return value;
  throw new RangeError(`${name} must be an integer from ${min} to ${max}; received ${value}.`);
}

/** Reads every setting; problems with environment variables are recorded on `env` (see `EnvReader.check`). */
export function readSettings(env: EnvReader, options: SettingsOptions = {}): ServerSettings {
  const production = env.raw('NODE_ENV') === 'production';
  const introspection = options.introspection ?? env.boolean('RELGRAPH_INTROSPECTION', !production);
  // `{ defaultQuery }` configures GraphiQL without turning it on or off.
  const graphiqlOn =
    typeof options.graphiql === 'boolean'
      ? options.graphiql
      : env.boolean('RELGRAPH_GRAPHIQL', introspection);
  // GraphiQL reads the schema by introspection: without it, it would show an empty page.
  if (graphiqlOn && !introspection && typeof options.graphiql === 'boolean') {
    throw new Error('graphiql needs introspection: turn introspection on, or graphiql off.');
  }
  if (graphiqlOn && !introspection) env.problem('RELGRAPH_GRAPHIQL', '0 while introspection is off');
  return {
    production,
    limits: readLimits(env, options.limits),
    maxStatementsPerRequest:
      options.maxStatementsPerRequest ??
      env.integer('RELGRAPH_MAX_STATEMENTS', Number.POSITIVE_INFINITY, 1, Number.MAX_SAFE_INTEGER),
    maxPageSize: options.maxPageSize ?? env.integer('RELGRAPH_MAX_PAGE_SIZE', 100, 1, 100_000),
    sqlStats: options.sqlStats ?? env.boolean('RELGRAPH_SQL_STATS', !production),
    introspection,
    graphiql: graphiqlOn ? (typeof options.graphiql === 'object' ? options.graphiql : {}) : false,
    diagram: options.diagram ?? graphiqlOn,
    errorDetails: options.errorDetails ?? env.raw('NODE_ENV') === 'development',
    corsOrigins: options.corsOrigins ?? env.list('RELGRAPH_CORS_ORIGINS', production ? [] : ['*'], origin),
    csrfPrevention: options.csrfPrevention ?? true,
    logLevel: options.logLevel ?? env.oneOf('LOG_LEVEL', 'info', logLevels),
    connectTimeoutMs:
      options.connectTimeoutMs ?? env.integer('DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, HOUR_MS),
    maxPreparedStatements:
      options.maxPreparedStatements ??
      env.integer('DATABASE_MAX_PREPARED_STATEMENTS', DEFAULT_MAX_PREPARED_STATEMENTS, 1, 100_000),
    readyTimeoutMs: options.readyTimeoutMs ?? env.integer('RELGRAPH_READY_TIMEOUT_MS', 2000, 100, HOUR_MS),
    shutdownGraceMs: options.shutdownGraceMs ?? env.integer('RELGRAPH_SHUTDOWN_GRACE_MS', 10_000, 0, HOUR_MS),
    statementTimeoutMs:
      optionWithin('statementTimeoutMs', options.statementTimeoutMs, 100, HOUR_MS) ??
      env.integer('RELGRAPH_STATEMENT_TIMEOUT_MS', 10_000, 100, HOUR_MS),
  };
}

/** The settings of `options` and `process.env`, throwing a ConfigError that lists every bad variable. */
export function resolveSettings(options: SettingsOptions): ServerSettings {
  const env = new EnvReader(process.env);
  const settings = readSettings(env, options);
  env.check();
  return settings;
}
