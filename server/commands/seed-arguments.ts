/** The arguments of `relgraph seed`, checked against the models before any database is opened. */
import { didYouMean } from '../../schema/did-you-mean.ts';
import type { GraphModel, RelationGraph } from '../../schema/graph.ts';

/** Related rows to make, by relation name; `count` unset means the factory's default (1). */
export type RelationTree = Map<string, { count: number | undefined; nested: RelationTree }>;

export interface SeedRequest {
  readonly model: GraphModel;
  readonly count: number;
  readonly relations: RelationTree;
  readonly seed: number;
}

/** A mistake in the command line: printed with a pointer to `--help`, exit status 2. */
export class UsageError extends Error {}

/** Rows one run may make: every row is planned in memory before the first INSERT. */
const MAX_ROWS = 1_000_000;
const USERS_WITH = ['phone', 'profile', 'address'];

/** The text of `--help`, naming the models the command serves. */
export const seedHelp = (graph: RelationGraph) => `Usage: npm run seed -- [options]

Fills the configured database (DATABASE_URL, else embedded PGlite in RELGRAPH_DATA_DIR) with rows made
by the factories of the demo models, applying the migrations first. Foreign keys are wired, one-to-one
links get one row each, and every run of one command is one transaction.

Options:
  --users N          N users, each with a phone, a profile and an address
                     (the same as --model User --count N --with phone,profile,address)
  --model NAME       the model to create rows of: ${[...graph.models.keys()].join(', ')}
  --count N          how many rows of that model; one run makes at most
                     ${MAX_ROWS.toLocaleString('en-US')} rows in all, related rows included
  --with RELATIONS   related rows for each row: relation names separated by commas, each with an
                     optional count (posts:3) and nested relations after a dot (posts:3.author);
                     may be given more than once
  --seed N           the seed of the generated values (default 1): the same seed gives the same rows
  -h, --help         show this help

Examples:
  npm run seed -- --users 100000
  npm run seed -- --model Post --count 5000 --with author
  npm run seed -- --model User --count 100 --with phone,posts:10 --seed 7`;

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const value = /^\d[\d_]*$/.test(raw) ? Number(raw.replaceAll('_', '')) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(
      `${flag} takes a whole number from ${min} to ${max.toLocaleString('en-US')}; received "${raw}".`,
    );
  }
  return value;
}

/** `posts:3.author,phone` into the tree of relations, each name checked on the model it belongs to. */
function addRelations(tree: RelationTree, model: GraphModel, list: string): void {
  for (const path of list.split(',').filter((part) => part.trim() !== '')) {
    let level = tree;
    let current = model;
    for (const segment of path.trim().split('.')) {
      const [name = '', count, ...rest] = segment.split(':');
      const relation = current.relations.get(name);
      if (!relation || rest.length > 0) {
        const known = [...current.relations.keys()];
        throw new UsageError(
          `--with: ${current.name} has no relation "${segment}".${didYouMean(name, known)} Its relations: ${known.join(', ') || 'none'}.`,
        );
      }
      const max = relation.many ? MAX_ROWS : 1;
      const node = level.get(name) ?? { count: undefined, nested: new Map() };
      if (count !== undefined) node.count = wholeNumber(`--with ${name}:`, count, 0, max);
      level.set(name, node);
      level = node.nested;
      current = relation.target;
    }
  }
}

/** Reads flags as `--flag value` or `--flag=value`; `'help'` when help was asked for. */
export function parseSeedArguments(argv: readonly string[], graph: RelationGraph): SeedRequest | 'help' {
  const given = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i] as string;
    if (argument === '-h' || argument === '--help') return 'help';
    const [flag = '', inline] = argument.split(/=(.*)/s, 2);
    if (!['--users', '--model', '--count', '--with', '--seed'].includes(flag)) {
      throw new UsageError(`unknown argument "${argument}".`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
    given.set(flag, [...(given.get(flag) ?? []), value]);
  }
  for (const [flag, values] of given) {
    if (flag !== '--with' && values.length > 1)
      throw new UsageError(`${flag} was given ${values.length} times.`);
  }
  const one = (flag: string) => given.get(flag)?.[0];
  const users = one('--users');
  if (users !== undefined && (one('--model') !== undefined || one('--count') !== undefined)) {
    throw new UsageError('--users is short for --model User --count N; give one or the other.');
  }
  const modelName = users === undefined ? one('--model') : 'User';
  const rawCount = users ?? one('--count');
  if (modelName === undefined || rawCount === undefined) {
    throw new UsageError('say what to create: --users N, or --model NAME --count N.');
  }
  const model = graph.models.get(modelName);
  if (!model) {
    const known = [...graph.models.keys()];
    throw new UsageError(
      `--model: there is no model "${modelName}".${didYouMean(modelName, known)} Models: ${known.join(', ')}.`,
    );
  }
  const relations: RelationTree = new Map();
  for (const list of [
    ...(users === undefined ? [] : [USERS_WITH.join(',')]),
    ...(given.get('--with') ?? []),
  ]) {
    addRelations(relations, model, list);
  }
  const count = wholeNumber(users === undefined ? '--count' : '--users', rawCount, 1, MAX_ROWS);
  const rows = count * rowsPerRow(relations);
  if (rows > MAX_ROWS) {
    throw new UsageError(
      `that makes ${rows.toLocaleString('en-US')} rows, and one run makes at most ${MAX_ROWS.toLocaleString('en-US')} (they are planned in memory first); run the command more than once.`,
    );
  }
  return { model, count, relations, seed: wholeNumber('--seed', one('--seed') ?? '1', 0, 2 ** 31 - 1) };
}

/** Rows one row of the model brings with it, itself included (parents made for required keys aside). */
function rowsPerRow(tree: RelationTree): number {
  let rows = 1;
  for (const { count, nested } of tree.values()) rows += (count ?? 1) * rowsPerRow(nested);
  return rows;
}
