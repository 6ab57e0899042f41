/**
 * `npm run seed`: the demo data into an empty database, or rows made by the factories of the demo
 * models — `--users 100000`, `--model Post --count 5000 --with author` — into any database.
 */
import { countRows } from '../db/count-rows.ts';
import { type Factory, factory } from '../factories/factory.ts';
import { resumeSequences } from '../factories/sequences.ts';
import { demoModels } from '../models/index.ts';
import { seedDemo } from '../models/seed.ts';
import { buildRelationGraph } from '../schema/build-graph.ts';
import type { Command, CommandOptions } from './command.ts';
import { readConfig } from './config.ts';
import { countUsers, type DemoDatabase, describeDatabase, openDemoDatabase } from './demo-database.ts';
import { formatCount, type Output, progressReporter } from './progress.ts';
import { type FactoryRequest, MAX_ROWS, type RelationTree, readSeedRequest } from './seed-request.ts';

export interface SeedIO {
  /** Where the database is configured (`DATABASE_URL`, `RELGRAPH_DATA_DIR`). */
  readonly env: NodeJS.ProcessEnv;
  /** What the command prints; a terminal (`isTTY`) gets a progress bar. */
  readonly out: Output;
}

export const seed: Command = {
  name: 'seed',
  summary: 'Migrate the database, then add the demo data to an empty one, or rows made by the factories.',
  details: [
    'Without options: 1,000 demo users with a phone, profile, address, role and posts, the same rows on',
    'every run, into a database without users; a database that has users is left as it is.',
    '',
    'With --users <n> (short for --model User --count <n> --with phone,profile,address) or --model and',
    '--count: that many rows made by the factories, added to what the database holds (sequences continue',
    `after its rows), foreign keys wired, in one transaction; at most ${formatCount(MAX_ROWS)} rows a run, related`,
    'rows included. --with takes relation names separated by commas, each with an optional count',
    '(posts:3) and nested relations after a dot (posts:3.author). A terminal shows a progress bar, a log',
    'or pipe a line for each tenth done.',
    '',
    'The database is DATABASE_URL (PostgreSQL) or, unset, embedded PGlite in RELGRAPH_DATA_DIR',
    '(default .relgraph/data); the migrations are applied first.',
    '',
    'Examples:',
    '  npm run seed -- --users 100000',
    '  npm run seed -- --model Post --count 5000 --with author',
    '  npm run seed -- --model User --count 100 --with phone,posts:10 --seed 7',
  ].join('\n'),
  options: {
    users: {
      type: 'string',
      value: '<n>',
      description: 'Make <n> users, each with a phone, a profile and an address.',
    },
    model: {
      type: 'string',
      value: '<name>',
      description: `The model to make rows of: ${demoModels.map((model) => model.name).join(', ')}.`,
    },
    count: { type: 'string', value: '<n>', description: 'How many rows of --model to make.' },
    with: {
      type: 'string',
      value: '<relations>',
      multiple: true,
      description: 'Related rows for each row, e.g. phone,posts:3.author; may be given more than once.',
    },
    seed: {
      type: 'string',
      value: '<n>',
      description: 'The seed of the generated values (default 1): the same seed, the same rows.',
    },
  },
  run: (options) => runSeed(options, { env: process.env, out: process.stdout }),
};

/** Seeds what `options` ask for; throws `UsageError` for bad options before opening any database. */
export async function runSeed(options: CommandOptions, io: SeedIO): Promise<void> {
  const graph = buildRelationGraph(demoModels);
  const request = readSeedRequest(options, graph);
  const config = readConfig(io.env);
  const database = await openDemoDatabase(config, graph);
  const where = describeDatabase(config);
  try {
    if (request) await seedFactoryRows(database, request, where, io.out);
    else await seedDemoIntoEmpty(database, where, io.out);
  } finally {
    await database.connection.close();
  }
}

async function seedDemoIntoEmpty(database: DemoDatabase, where: string, out: Output): Promise<void> {
  const users = await countUsers(database);
  if (users > 0) {
    out.write(
      `relgraph: ${where} already has ${users} users; nothing seeded (add rows with --users <n> or --model <name> --count <n>)\n`,
    );
    return;
  }
  await seedDemo(database.connection.database(), database.tables);
  out.write(`relgraph: seeded ${where} with ${await countUsers(database)} users\n`);
}

async function seedFactoryRows(
  { connection, tables }: DemoDatabase,
  request: FactoryRequest,
  where: string,
  out: Output,
): Promise<void> {
  const target = { db: connection.database(), tables };
  await resumeSequences(target);
  const relations = describeRelations(request.relations);
  out.write(
    `relgraph: creating ${formatCount(request.count)} ${request.model.name} rows${relations.length ? ` with ${relations.join(', ')}` : ''} in ${where} (seed ${request.seed})\n`,
  );
  const started = performance.now();
  const made = withRelations(factory(request.model.definition).seed(request.seed), request.relations);
  await made.createMany(target, request.count, { onProgress: progressReporter(out, 'rows') });
  const took = ((performance.now() - started) / 1000).toFixed(1);
  const counts = Object.entries(await countRows(target.db, tables)).map(
    ([name, rows]) => `${name} ${formatCount(rows)}`,
  );
  out.write(`relgraph: done in ${took} s; rows now in the database: ${counts.join(', ')}\n`);
}

/** The factory with `.with` for every relation of the tree, nested ones inside. */
function withRelations(base: Factory, tree: RelationTree): Factory {
  let result = base;
  for (const [name, { count, nested }] of tree) {
    result = result.with(name, count ?? 1, (related) => withRelations(related, nested));
  }
  return result;
}

/** `phone, posts:3.author`: the relations as given, for the first line of output. */
function describeRelations(tree: RelationTree, prefix = ''): string[] {
  return [...tree].flatMap(([name, { count, nested }]) => {
    const path = `${prefix}${name}${count === undefined ? '' : `:${count}`}`;
    return nested.size === 0 ? [path] : describeRelations(nested, `${path}.`);
  });
}
