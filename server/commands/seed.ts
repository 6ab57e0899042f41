/**
 * `npm run seed -- --users 100000`, or `--model Post --count 5000 --with author`: rows made by the
 * factories of the demo models, in the database `npm start` uses (migrated first).
 */
import { fileURLToPath } from 'node:url';
import { connectDatabase } from '../../db/client.ts';
import { countRows } from '../../db/count-rows.ts';
import { applyMigrations } from '../../db/migrations.ts';
import { buildTables } from '../../db/tables.ts';
import { type Factory, factory } from '../../factories/factory.ts';
import { resumeSequences } from '../../factories/sequences.ts';
import { demoModels } from '../../models/index.ts';
import { buildRelationGraph } from '../../schema/build-graph.ts';
import { readConfig } from '../config.ts';
import { type Output, progressReporter } from './progress.ts';
import { parseSeedArguments, type RelationTree, seedHelp, UsageError } from './seed-arguments.ts';

const MIGRATIONS = fileURLToPath(new URL('../../db/migrations', import.meta.url));

export interface SeedIO {
  readonly env: NodeJS.ProcessEnv;
  readonly out: Output;
  readonly err: Output;
}

/** The factory with `.with` for every relation of the tree, nested ones inside. */
function withRelations(base: Factory, tree: RelationTree): Factory {
  let result = base;
  for (const [name, { count, nested }] of tree) {
    result = result.with(name, count ?? 1, (related) => withRelations(related, nested));
  }
  return result;
}

/** ` with phone, posts:3.author`: the relations as given, for the first line of output. */
function describeRelations(tree: RelationTree, prefix = ''): string[] {
  return [...tree].flatMap(([name, { count, nested }]) => {
    const path = `${prefix}${name}${count === undefined ? '' : `:${count}`}`;
    return nested.size === 0 ? [path] : describeRelations(nested, `${path}.`);
  });
}

const number = (value: number) => value.toLocaleString('en-US');

/** Runs the command; resolves with the exit status (0 done or help, 2 bad arguments). */
export async function runSeed(argv: readonly string[], io: SeedIO): Promise<number> {
  const graph = buildRelationGraph(demoModels);
  let request: ReturnType<typeof parseSeedArguments>;
  try {
    request = parseSeedArguments(argv, graph);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err.write(`relgraph seed: ${error.message}\nSee the options with: npm run seed -- --help\n`);
    return 2;
  }
  if (request === 'help') {
    io.out.write(`${seedHelp(graph)}\n`);
    return 0;
  }
  const config = readConfig(io.env);
  const connection = await connectDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const db = connection.database();
    await applyMigrations(db, connection.driver, MIGRATIONS);
    const target = { db, tables: buildTables(graph) };
    await resumeSequences(target);
    const relations = describeRelations(request.relations);
    const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
    io.out.write(
      `relgraph: creating ${number(request.count)} ${request.model.name} rows${relations.length ? ` with ${relations.join(', ')}` : ''} in ${where} (seed ${request.seed})\n`,
    );
    const started = performance.now();
    const made = withRelations(factory(request.model.definition).seed(request.seed), request.relations);
    await made.createMany(target, request.count, { onProgress: progressReporter(io.out, 'rows') });
    const took = ((performance.now() - started) / 1000).toFixed(1);
    const counts = Object.entries(await countRows(db, target.tables)).map(
      ([name, rows]) => `${name} ${number(rows)}`,
    );
    io.out.write(`relgraph: done in ${took} s; rows now in the database: ${counts.join(', ')}\n`);
    return 0;
  } finally {
    await connection.close();
  }
}

/** The `seed` command of the CLI: sets the exit status. */
export async function seed(argv: readonly string[]): Promise<void> {
  process.exitCode = await runSeed(argv, { env: process.env, out: process.stdout, err: process.stderr });
}
