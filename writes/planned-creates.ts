/**
 * Rows a mutation's input creates, by unique value, until they are written: so a `connect` or
 * `connectOrCreate` elsewhere in the same input that names one of them can wait for it (a sibling
 * list item created before it) or be refused with both paths, instead of answering NOT_FOUND or
 * CONFLICT for a row the client can see in its own input.
 */
import { keyOf } from '../db/keys.ts';
import type { Row } from '../db/prepared-rows.ts';
import { inputError } from '../errors.ts';
import type { GraphModel, GraphRelation } from '../schema/graph.ts';
import type { WriteShape } from '../schema/input-names.ts';
import { inputRelations } from '../schema/mutation-type-defs.ts';
import { type UniqueKey, uniqueKeyOf, uniqueTarget } from './find-unique.ts';
import type { Values } from './input-values.ts';
import { listOperations } from './relation-input.ts';
import type { WriteContext } from './write-context.ts';

/** The path of a connectOrCreate (`….connectOrCreate` or `….connectOrCreate[2]`). */
const CONNECT_OR_CREATE = /\.connectOrCreate(\[\d+\])?$/;

const idOf = ({ field, key }: UniqueKey) => `${field.model}.${field.name}=${key}`;

/** The operations given for a relation, each with the path it has in the input. */
function operationsOf(relation: GraphRelation, given: unknown, at: string): Array<[string, unknown, string]> {
  if (!relation.many) {
    return Object.entries(given as Values)
      .filter(([, argument]) => argument != null)
      .map(([operation, argument]) => [operation, argument, `${at}.${operation}`]);
  }
  return Object.entries(listOperations(given)).flatMap(([operation, list]) =>
    list.map((argument, n): [string, unknown, string] => [operation, argument, `${at}.${operation}[${n}]`]),
  );
}

/** The key `where` names, or undefined for an invalid one (its error comes when the write gets there). */
function namedBy(model: GraphModel, where: unknown): UniqueKey | undefined {
  try {
    return uniqueKeyOf(model, where, '');
  } catch {
    return undefined;
  }
}

export class PlannedCreates {
  /** Path of the create (or connectOrCreate) that makes each unique value, until it is written. */
  readonly #pending = new Map<string, string>();

  /** Records every row `input` (at `path`, of `shape`) creates, nested to any depth. */
  plan(shape: WriteShape, input: Values, path: string): void {
    if (shape.mode === 'create') {
      for (const field of shape.model.uniqueFields) {
        const key = keyOf(input[field.name]);
        if (key !== null) this.#add({ field, key }, path);
      }
    }
    for (const relation of inputRelations(shape)) {
      const given = input[relation.name];
      if (given == null || typeof given !== 'object') continue;
      for (const [operation, argument, at] of operationsOf(relation, given, `${path}.${relation.name}`)) {
        const nested = { model: relation.target, via: relation.link };
        if (operation === 'create') this.plan({ ...nested, mode: 'create' }, argument as Values, at);
        else if (operation === 'update') {
          const data = relation.many ? (argument as { data?: Values }).data : argument;
          if (data) this.plan({ ...nested, mode: 'update' }, data as Values, at);
        } else if (operation === 'connectOrCreate') {
          const named = namedBy(relation.target, (argument as { where?: unknown }).where);
          if (named) this.#add(named, at);
        }
      }
    }
  }

  /** The first create of a row is where it is made; a connectOrCreate makes it only if nothing else does. */
  #add(key: UniqueKey, path: string) {
    const id = idOf(key);
    const known = this.#pending.get(id);
    if (known === undefined || (CONNECT_OR_CREATE.test(known) && !CONNECT_OR_CREATE.test(path)))
      this.#pending.set(id, path);
  }

  /** Where in the input the row `key` names is created, if it is not written yet. */
  pending(key: UniqueKey): string | undefined {
    return this.#pending.get(idOf(key));
  }

  /** The rows of `model` just written: connects may find them now. */
  written(model: GraphModel, rows: readonly Row[]): void {
    for (const field of model.uniqueFields) {
      for (const row of rows) {
        const key = keyOf(row[field.name]);
        if (key !== null) this.#pending.delete(idOf({ field, key }));
      }
    }
  }

  /** The row `key` names exists now (a connectOrCreate found or created it). */
  settled(key: UniqueKey): void {
    this.#pending.delete(idOf(key));
  }
}

/** Whether `path` is inside what `prefix` writes (`a.create`, `a.create.b…`, `a.create[2]…`). */
const inside = (path: string, prefix: string) =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/**
 * When the connect or connectOrCreate at `path` of `relation` may run: `'now'` when no other part of
 * the input creates the row it names (or that row is written by now), `'after'` when an earlier
 * sibling creates it (`siblings`: the paths of their creates), so it runs once their INSERT is done.
 * A create anywhere else in the input comes too late: a BAD_USER_INPUT naming both paths.
 */
export function whenConnectable(
  context: WriteContext,
  relation: GraphRelation,
  [operation, argument]: [string, unknown],
  path: string,
  siblings: readonly string[],
): 'now' | 'after' {
  const named =
    operation === 'connect'
      ? uniqueTarget(context, relation.target, argument, path)
      : uniqueTarget(context, relation.target, (argument as { where?: unknown }).where, `${path}.where`);
  const creator = context.planned.pending(named);
  // Two connectOrCreates of one row agree in either order: the first to run creates it.
  const bothMayCreate = operation === 'connectOrCreate' && CONNECT_OR_CREATE.test(creator ?? '');
  if (creator === undefined || creator === path || bothMayCreate) return 'now';
  if (siblings.some((sibling) => inside(creator, sibling))) return 'after';
  throw inputError(
    path,
    `the ${relation.target.name} ${named.description} is created in this same input by ${creator}, which is written after this point (parents before children, list items in order). Create it in an earlier item of the list, or in an earlier field of the mutation (all its fields share one transaction).`,
  );
}
