/**
 * The server's settings: each from its `createServer` option, else its environment variable, else
 * a default that depends on NODE_ENV where production needs something else than a laptop.
 */
import { DEFAULT_MAX_PREPARED_STATEMENTS } from '../db/postgres-pool.ts';
import { EnvReader } from './env.ts';
import { type QueryLimits, readLimits } from './limits/limits.ts';
import { type LogLevel, logLevels } from './logging.ts';

/** The options `createServer` takes for these settings (every one optional). */
export interface SettingsOptions {
  limits?: Partial<QueryLimits> | undefined;
  maxStatementsPerRequest?: number | undefined;
  maxPageSize?: number | undefined;
  sqlStats?: boolean | undefined;
  introspection?: boolean | undefined;
  graphiql?: boolean | { defaultQuery?: string } | undefined;
  /**
   * The relationship diagram on `GET /diagram` (also `.svg`, `.mmd`), which shows the whole model.
   * Default: as GraphiQL, so off in production unless turned on.
   */
  diagram?: boolean | undefined;
  errorDetails?: boolean | undefined;
  corsOrigins?: readonly string[] | undefined;
  csrfPrevention?: boolean | undefined;
  logLevel?: LogLevel | undefined;
  connectTimeoutMs?: number | undefined;
  maxPreparedStatements?: number | undefined;
  readyTimeoutMs?: number | undefined;
  shutdownGraceMs?: number | undefined;
  /** How long a statement may run before it is cancelled, in ms (100 to an hour). Default 10,000. */
  statementTimeoutMs?: number | undefined;
}

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
