/** Server settings from the environment, checked at start with messages that name the variable. */

export interface Config {
  /** `DATABASE_URL`: PostgreSQL; unset means embedded PGlite. */
  databaseUrl: string | undefined;
  /** `RELGRAPH_DATA_DIR`: the PGlite folder. Default `.relgraph/data`. */
  dataDir: string;
  /** `PORT`. Default 4000. */
  port: number;
  /** `HOST`. Default 127.0.0.1 (set 0.0.0.0 in a container). */
  host: string;
  /** `DATABASE_POOL_SIZE`. Default 10. */
  poolSize: number;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}; received ${JSON.stringify(raw)}.`);
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(
      'DATABASE_URL must be a postgres:// or postgresql:// URL; unset it to use the embedded database.',
    );
  }
  return {
    databaseUrl,
    dataDir: env.RELGRAPH_DATA_DIR || '.relgraph/data',
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    poolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
  };
}
