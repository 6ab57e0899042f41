/** `npm run pull`: reads an existing PostgreSQL database and writes relgraph model files for it. */
import { pullModels, writePulledFiles } from '../../cli/pull/pull-models.ts';
import { connectDatabase, type DatabaseConnection } from '../../db/client.ts';
import { type Command, UsageError } from './command.ts';
import { outputPath } from './output-file.ts';

/** The URL to read: `--database-url`, else `DATABASE_URL`; a PostgreSQL URL with a host. */
function databaseUrl(given: string | undefined): string {
  const url = given ?? process.env.DATABASE_URL;
  if (url === undefined || url === '') {
    throw new UsageError(
      'needs a PostgreSQL database to read: pass --database-url postgres://user:password@host:5432/db, or set DATABASE_URL.',
    );
  }
  let valid = false;
  try {
    const parsed = new URL(url);
    valid = /^postgres(ql)?:$/.test(parsed.protocol) && parsed.hostname !== '';
  } catch {
    // Reported below; the value is not repeated, it may hold a password.
  }
  if (!valid) {
    throw new UsageError(
      'the database URL must be a postgres:// or postgresql:// URL with a host (postgres://user:password@host:5432/db).',
    );
  }
  return url;
}

/** The innermost message of an error's `cause` chain: what the driver said. */
function innermost(error: unknown): string {
  let current = error as { message?: string; cause?: unknown };
  while (current.cause instanceof Error) current = current.cause;
  return current.message ?? String(error);
}

/** Checks the database answers, failing in one line (host, the driver's reason, the fix); no password. */
async function reach(connection: DatabaseConnection, url: string): Promise<void> {
  try {
    await connection.ping();
  } catch (error) {
    const { host, pathname } = new URL(url);
    throw new Error(
      `relgraph pull: cannot read the database "${pathname.slice(1)}" at ${host}: ${innermost(error)}; check that PostgreSQL runs there and that the URL is right.`,
    );
  }
}

export const pull: Command = {
  name: 'pull',
  summary: 'Write model files for the tables of an existing PostgreSQL database.',
  details: [
    'Reads tables, columns, keys, foreign keys and enums from the catalog and writes one file per model',
    'and an index.ts exporting `models`. What relgraph cannot declare is written as a comment naming the',
    'table and column. Files it did not write are never replaced without --force; a second pull of an',
    'unchanged database writes the same files.',
  ].join('\n'),
  options: {
    'database-url': {
      type: 'string',
      value: '<url>',
      description: 'The database to read (default: DATABASE_URL).',
    },
    out: { type: 'string', value: '<folder>', description: 'Where to write the models (default: models).' },
    schema: {
      type: 'string',
      value: '<name>',
      description: 'The PostgreSQL schema to read (default: public).',
    },
    'import-from': {
      type: 'string',
      value: '<module>',
      description: 'What the files import model, field … from (default: relgraph).',
    },
    force: { type: 'boolean', description: 'Replace files in the folder that pull did not write.' },
  },
  async run(options) {
    const url = databaseUrl(options.string('database-url'));
    const schema = options.string('schema') ?? 'public';
    const out = options.string('out') ?? 'models';
    const connection = await connectDatabase({ url, poolSize: 1 });
    try {
      await reach(connection, url);
      const pulled = await pullModels(connection.database(), {
        schema,
        importFrom: options.string('import-from'),
      });
      if (pulled.models === 0 && pulled.notes === 0) {
        throw new Error(
          `relgraph pull: schema "${schema}" has no tables; pass --schema with the schema that holds them.`,
        );
      }
      const changed = await writePulledFiles(outputPath(out), pulled.files, options.flag('force'));
      const notes =
        pulled.notes === 0
          ? ''
          : `; ${pulled.notes} thing(s) the models cannot say are comments in the files`;
      console.log(
        `relgraph: pulled ${pulled.models} model(s) from schema "${schema}" into ${out} (${changed.length} file(s) changed)${notes}`,
      );
    } finally {
      await connection.close();
    }
  },
};
