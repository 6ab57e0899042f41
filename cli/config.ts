/**
 * The command line's settings from the environment, checked at start: every wrong variable is
 * reported at once, each naming what it expects. The server's own variables (limits, LOG_LEVEL…)
 * are checked here too, so nothing starts — no database opened — with any of them wrong.
 */
import { EnvReader } from '../server/env.ts';
import { readSettings } from '../server/settings.ts';

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

function databaseUrl(env: EnvReader): string | undefined {
  const url = env.raw('DATABASE_URL');
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (/^postgres(ql)?:$/.test(parsed.protocol) && parsed.hostname !== '') return url;
  } catch {
    // Not a URL at all: reported below.
  }
  // The value is not repeated: it may hold a password.
  env.report(
    'DATABASE_URL must be a postgres:// or postgresql:// URL with a host (postgres://user:password@host:5432/db); unset it to use the embedded database.',
  );
  return undefined;
}

/**
 * Bearer-token settings. The secret's length is checked here as well as by `bearerAuthenticator`, so
 * a short secret is reported with every other problem instead of after them.
 */
function jwt(env: EnvReader): Pick<Config, 'jwtSecret' | 'jwksFile' | 'jwtAudience' | 'jwtIssuer'> {
  const jwtSecret = env.raw('RELGRAPH_JWT_SECRET');
  const jwksFile = env.raw('RELGRAPH_JWKS_FILE');
  if (jwtSecret && jwksFile)
    env.report(
      "Set RELGRAPH_JWT_SECRET (tokens signed with a shared secret) or RELGRAPH_JWKS_FILE (an identity provider's public keys), not both.",
    );
  const secretBytes = jwtSecret === undefined ? 0 : new TextEncoder().encode(jwtSecret).length;
  // The value is not repeated: it is a secret.
  if (jwtSecret !== undefined && secretBytes < 32)
    env.report(`RELGRAPH_JWT_SECRET must be at least 32 bytes (an HS256 key); received ${secretBytes}.`);
  return {
    jwtSecret,
    jwksFile,
    jwtAudience: env.raw('RELGRAPH_JWT_AUDIENCE') ?? 'relgraph',
    jwtIssuer: env.raw('RELGRAPH_JWT_ISSUER'),
  };
}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const reader = new EnvReader(env);
  const config = {
    databaseUrl: databaseUrl(reader),
    ...jwt(reader),
    dataDir: reader.raw('RELGRAPH_DATA_DIR') ?? '.relgraph/data',
    port: reader.integer('PORT', 4000, 0, 65535),
    host: reader.raw('HOST') ?? '127.0.0.1',
    poolSize: reader.integer('DATABASE_POOL_SIZE', 10, 1, 1000),
  };
  readSettings(reader);
  reader.check();
  return config;
}
