/**
 * Operations on the children of a row: `hasOne` and `hasMany`, whose foreign key is on the related model.
 *
 * The one import cycle of the code base lives here, on purpose: nested writes recurse as deep as the
 * input does. A create writes its children (`writeChildLink`), a child is created (`createRows`),
 * updated (`updateRow`) or connected-or-created (`connectOrCreate`), and each of those writes its own
 * children again. The four modules call each other only inside functions, never at load time, so the
 * cycle is safe; Biome's `noImportCycles` is suppressed at each of its imports with this reason.
 */

import { and, type SQL } from 'drizzle-orm';
import { keyOf } from '../db/keys.ts';
import type { Row } from '../db/prepared-rows.ts';
import { keyEquals } from '../query/key-sql.ts';
import type { GraphRelation } from '../schema/graph.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { connectOrCreate } from './connect-or-create.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { type CreateItem, createRows } from './create-rows.ts';
import { checkFieldWrites } from './field-writes.ts';
import { uniqueTarget } from './find-unique.ts';
import type { Values } from './input-values.ts';
import { whenConnectable } from './planned-creates.ts';
import { listOperations, singleOperation } from './relation-input.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { updateRow } from './update-row.ts';
import { tableOf, type WriteContext } from './write-context.ts';
import { deleteOne, updateOne } from './write-guard.ts';

interface Child {
  readonly relation: GraphRelation;
  readonly parent: Row;
  /** `{ [foreignKey]: parent key }`: what makes a row a child of `parent`. */
  readonly fixed: Values;
  /** `foreignKey = parent key`. */
  readonly ofParent: SQL;
}

function childOf(context: WriteContext, relation: GraphRelation, parent: Row): Child {
  const { link } = relation;
  const value = parent[link.referencedKey.name];
  const table = tableOf(context, relation.target);
  return {
    relation,
    parent,
    fixed: { [link.foreignKey.name]: value },
    ofParent: keyEquals(table, link.foreignKey, keyOf(value) ?? ''),
  };
}

/** Points the child matching `where` at a parent (or at none): an update of the child. */
async function setKey(
  context: WriteContext,
  child: Child,
  where: SQL,
  values: Values,
  path: string,
  what: string,
) {
  const { target } = child.relation;
  // The foreign key it sets must be writable (field write rules), checked once the row is found
  // under rules; without rules every row is readable, so refusing before the lookup reveals nothing.
  const checkFields = () => checkFieldWrites(context, target, 'update', {}, path, values);
  await updateOne(context, target, where, values, path, what, checkFields);
}

async function remove(context: WriteContext, child: Child, where: SQL, path: string, what: string) {
  await deleteOne(context, child.relation.target, where, path, what);
}

/** connect, connectOrCreate, update, disconnect or delete of one child (create is batched by the caller). */
async function writeOne(
  context: WriteContext,
  child: Child,
  operation: string,
  argument: unknown,
  path: string,
) {
  const { relation, fixed, ofParent } = child;
  const { target, link } = relation;
  const mine = `linked to this ${relation.model.name}`;
  const unique = (where: unknown) => uniqueTarget(context, target, where, path);
  switch (operation) {
    case 'connect': {
      const found = unique(argument);
      return setKey(context, child, found.condition, fixed, path, found.description);
    }
    case 'connectOrCreate':
      return connectOrCreate(context, relation, argument, path, fixed);
    case 'update': {
      const { where, data } = (relation.many ? argument : { where: undefined, data: argument }) as {
        where: unknown;
        data: Values;
      };
      const condition = where === undefined ? ofParent : (and(unique(where).condition, ofParent) as SQL);
      return updateRow(context, { model: target, mode: 'update', via: link }, condition, data, path, mine);
    }
    case 'disconnect': {
      const condition = relation.many ? (and(unique(argument).condition, ofParent) as SQL) : ofParent;
      return setKey(context, child, condition, { [link.foreignKey.name]: null }, path, mine);
    }
    default: {
      const condition = relation.many ? (and(unique(argument).condition, ofParent) as SQL) : ofParent;
      return remove(context, child, condition, path, mine);
    }
  }
}

/**
 * Writes `relation` (hasOne or hasMany) for each parent row from its item's input. New children of
 * all parents are inserted together; the other operations run per child, deletes first.
 */
export async function writeChildLink(
  context: WriteContext,
  relation: GraphRelation,
  items: readonly CreateItem[],
  parents: Row[],
) {
  const creates: CreateItem[] = [];
  // Connects to a row an earlier create of this relation makes: run once the creates are in.
  const later: Array<() => Promise<unknown>> = [];
  const run = async (child: Child, operation: string, argument: unknown, at: string) => {
    const siblings = creates.map((created) => created.path);
    const write = () => writeOne(context, child, operation, argument, at);
    const connects = operation === 'connect' || operation === 'connectOrCreate';
    if (connects && whenConnectable(context, relation, [operation, argument], at, siblings) === 'after')
      later.push(write);
    else await write();
  };
  for (const [index, item] of items.entries()) {
    const given = item.input[relation.name];
    const parent = parents[index];
    if (given == null || !parent) continue;
    const child = childOf(context, relation, parent);
    const path = `${item.path}.${relation.name}`;
    if (!relation.many) {
      const [operation, argument] = singleOperation(relation, given, path);
      if (operation === 'create')
        creates.push({ input: argument as Values, path: `${path}.create`, fixed: child.fixed });
      else await run(child, operation, argument, `${path}.${operation}`);
      continue;
    }
    for (const [operation, list] of Object.entries(listOperations(given))) {
      for (const [n, argument] of list.entries()) {
        const at = `${path}.${operation}[${n}]`;
        if (operation === 'create') creates.push({ input: argument as Values, path: at, fixed: child.fixed });
        else await run(child, operation, argument, at);
      }
    }
  }
  await createRows(context, { model: relation.target, mode: 'create', via: relation.link }, creates);
  for (const write of later) await write();
}
