/**
 * The command line's settings from the environment, checked at start: every wrong variable is
 * reported at once, each naming what it expects. The server's own variables (limits, LOG_LEVEL…)
 * are checked here too, so nothing starts — no database opened — with any of them wrong.
 */
import { EnvReader } from './env.ts';
import { readSettings } from './settings.ts';

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

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const reader = new EnvReader(env);
  const config = {
    databaseUrl: databaseUrl(reader),
    dataDir: reader.raw('RELGRAPH_DATA_DIR') ?? '.relgraph/data',
    port: reader.integer('PORT', 4000, 0, 65535),
    host: reader.raw('HOST') ?? '127.0.0.1',
    poolSize: reader.integer('DATABASE_POOL_SIZE', 10, 1, 1000),
  };
  readSettings(reader);
  reader.check();
  return config;
}
