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
  /** Bearer-token verification: `RELGRAPH_JWT_SECRET` (HS256) or `RELGRAPH_JWKS_FILE`, neither, not both. */
  jwtSecret: string | undefined;
  jwksFile: string | undefined;
  /** `RELGRAPH_JWT_AUDIENCE`: the `aud` tokens must carry. Default `relgraph`. */
  jwtAudience: string;
  /** `RELGRAPH_JWT_ISSUER`: the `iss` tokens must carry, when set. */
  jwtIssuer: string | undefined;
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
  const jwtSecret = env.RELGRAPH_JWT_SECRET || undefined;
  const jwksFile = env.RELGRAPH_JWKS_FILE || undefined;
  if (jwtSecret && jwksFile) {
    throw new Error(
      "Set RELGRAPH_JWT_SECRET (tokens signed with a shared secret) or RELGRAPH_JWKS_FILE (an identity provider's public keys), not both.",
    );
  }
  return {
    databaseUrl,
    jwtSecret,
    jwksFile,
    jwtAudience: env.RELGRAPH_JWT_AUDIENCE || 'relgraph',
    jwtIssuer: env.RELGRAPH_JWT_ISSUER || undefined,
    dataDir: env.RELGRAPH_DATA_DIR || '.relgraph/data',
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    poolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
  };
}
