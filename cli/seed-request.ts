/**
 * What `npm run seed` was asked to make, read from its options and checked against the models before
 * any database is opened: nothing (the demo data), or factory rows of one model with related rows.
 */
import { didYouMean } from '../schema/did-you-mean.ts';
import type { GraphModel, RelationGraph } from '../schema/graph.ts';
import { type CommandOptions, UsageError } from './command.ts';
import { formatCount } from './progress.ts';

/** Related rows to make, by relation name; `count` unset means the factory's default (1). */
export type RelationTree = Map<string, { count: number | undefined; nested: RelationTree }>;

/** `count` rows of `model`, each with the related rows of `relations`, values from `seed`. */
export interface FactoryRequest {
  readonly model: GraphModel;
  readonly count: number;
  readonly relations: RelationTree;
  readonly seed: number;
}

/** Rows one run may make: every row is planned in memory before the first INSERT. */
export const MAX_ROWS = 1_000_000;
/** What `--users N` gives each user. */
const USERS_WITH = 'phone,profile,address';

/**
 * The factory rows the options ask for; `undefined` when they ask for none (no `--users`, `--model`
 * or `--count`), which means the demo data. Throws `UsageError`.
 */
export function readSeedRequest(options: CommandOptions, graph: RelationGraph): FactoryRequest | undefined {
  const users = options.integer('users', 1, MAX_ROWS);
  const modelName = options.choice('model', [...graph.models.keys()]);
  const count = options.integer('count', 1, MAX_ROWS);
  const withs = options.strings('with');
  const seed = options.integer('seed', 0, 2 ** 31 - 1) ?? 1;
  if (users !== undefined && (modelName !== undefined || count !== undefined)) {
    throw new UsageError('option "--users" is short for --model User --count <n>; give one or the other.');
  }
  if (users === undefined && modelName === undefined && count === undefined) {
    if (withs.length === 0 && options.string('seed') === undefined) return undefined;
    throw new UsageError(
      'options "--with" and "--seed" shape the rows of --users <n> or --model <name> --count <n>; give one of those too (without options, seed adds the demo data to an empty database).',
    );
  }
  const model = graph.models.get(users === undefined ? (modelName ?? '') : 'User');
  const rows = users ?? count;
  if (!model || rows === undefined) {
    throw new UsageError('say what to create: --users <n>, or --model <name> with --count <n>.');
  }
  const relations: RelationTree = new Map();
  for (const list of users === undefined ? withs : [USERS_WITH, ...withs]) {
    addRelations(relations, model, list);
  }
  const total = rows * rowsPerRow(relations);
  if (total > MAX_ROWS) {
    throw new UsageError(
      `that makes ${formatCount(total)} rows, and one run makes at most ${formatCount(MAX_ROWS)} (they are planned in memory first); run the command more than once.`,
    );
  }
  return { model, count: rows, relations, seed };
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
          `option "--with": ${current.name} has no relation "${segment}".${didYouMean(name, known)} Its relations: ${known.join(', ') || 'none'}.`,
        );
      }
      const node = level.get(name) ?? { count: undefined, nested: new Map() };
      if (count !== undefined) node.count = relationCount(name, count, relation.many ? MAX_ROWS : 1);
      level.set(name, node);
      level = node.nested;
      current = relation.target;
    }
  }
}

/** The `3` of `posts:3`: from 0 to `max` (1 for a one-to-one link). */
function relationCount(relation: string, raw: string, max: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > max) {
    throw new UsageError(
      `option "--with": the count of "${relation}" must be an integer from 0 to ${max}; received "${raw}".`,
    );
  }
  return value;
}

/** Rows one row of the model brings with it, itself included (parents made for required keys aside). */
function rowsPerRow(tree: RelationTree): number {
  let rows = 1;
  for (const { count, nested } of tree.values()) rows += (count ?? 1) * rowsPerRow(nested);
  return rows;
}
