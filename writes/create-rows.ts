/**
 * Creating rows with their related rows, level by level: parents first (their keys go into the new
 * rows), then one INSERT for all new rows of a model at a level, then children pointing at them.
 */

import { insertReturning } from '../db/insert-returning.ts';
import type { Row } from '../db/prepared-rows.ts';
import { inputError } from '../errors.ts';
import type { GraphRelation } from '../schema/graph.ts';
import type { WriteShape } from '../schema/input-names.ts';
import { inputRelations } from '../schema/mutation-type-defs.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { writeChildLink } from './child-links.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { connectOrCreate } from './connect-or-create.ts';
import { checkFieldWrites } from './field-writes.ts';
import { requireUnique } from './find-unique.ts';
import { fieldValues, type Values } from './input-values.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { writePivotLinks } from './pivot-links.ts';
import { whenConnectable } from './planned-creates.ts';
import { checkReadableKeys } from './readable-keys.ts';
import { singleOperation } from './relation-input.ts';
import { tableOf, type WriteContext } from './write-context.ts';
import { createChecks } from './write-guard.ts';

/** One row to create: its input, where the input is (for messages), and values its parent fixes. */
export interface CreateItem {
  readonly input: Values;
  readonly path: string;
  readonly fixed?: Values;
}

/** Sets each item's foreign key of `relation` (a belongsTo) from the parent it creates or connects. */
export async function linkParents(
  context: WriteContext,
  relation: GraphRelation,
  items: CreateItem[],
  values: Values[],
) {
  const { link, target } = relation;
  const creates: Array<{ index: number; item: CreateItem }> = [];
  // Connects to a row an earlier item creates: run once the creates are in.
  const later: Array<() => Promise<void>> = [];
  for (const [index, item] of items.entries()) {
    const given = item.input[relation.name];
    if (given == null) continue;
    const path = `${item.path}.${relation.name}`;
    const [operation, argument] = singleOperation(relation, given, path);
    const row = values[index] as Values;
    const at = `${path}.${operation}`;
    if (operation === 'create') {
      creates.push({ index, item: { input: argument as Values, path: at } });
      continue;
    }
    if (operation !== 'connect' && operation !== 'connectOrCreate') {
      throw inputError(
        path,
        `"${operation}" applies to an existing ${relation.model.name}; use it in update${relation.model.name}.`,
      );
    }
    const connect = async () => {
      const parent =
        operation === 'connect'
          ? await requireUnique(context, target, argument, at)
          : await connectOrCreate(context, relation, argument, at, {});
      row[link.foreignKey.name] = parent[link.referencedKey.name];
    };
    const siblings = creates.map(({ item: created }) => created.path);
    if (whenConnectable(context, relation, [operation, argument], at, siblings) === 'after')
      later.push(connect);
    else await connect();
  }
  if (creates.length > 0) {
    const parents = await createRows(
      context,
      { model: target, mode: 'create', via: link },
      creates.map(({ item }) => item),
    );
    for (const [n, { index }] of creates.entries()) {
      (values[index] as Values)[link.foreignKey.name] = parents[n]?.[link.referencedKey.name];
    }
  }
  for (const connect of later) await connect();
}

/** A required foreign key must be given, as the field or through its relation. */
function checkRequiredKeys(context: WriteContext, shape: WriteShape, items: CreateItem[], values: Values[]) {
  for (const link of context.graph.links) {
    if (link.holder !== shape.model || link.optional || link === shape.via) continue;
    for (const [index, row] of values.entries()) {
      if (row[link.foreignKey.name] != null) continue;
      const relation = link.child ? ` or ${link.child.name}: { connect | create }` : '';
      throw inputError(
        (items[index] as CreateItem).path,
        `a ${shape.model.name} needs a ${link.referenced.name}: give ${link.foreignKey.name}${relation}.`,
      );
    }
  }
}

/** Creates one row per item, with every nested relation; returns the rows in item order. */
export async function createRows(
  context: WriteContext,
  shape: WriteShape,
  items: CreateItem[],
): Promise<Row[]> {
  if (items.length === 0) return [];
  const values = items.map((item) => ({
    ...fieldValues(context, shape, item.input, item.path),
    ...item.fixed,
  }));
  // Rules first: a refused create looks nothing up, so it answers the same whatever exists.
  for (const item of items)
    checkFieldWrites(context, shape.model, 'create', item.input, item.path, item.fixed);
  const check = createChecks(
    context,
    shape.model,
    items.map((item) => ({ ...item.input, ...item.fixed })),
    items.map((item) => item.path),
  );
  await checkReadableKeys(
    context,
    shape.model,
    items.map((item) => item.input),
    values,
  );
  const relations = inputRelations(shape);
  for (const relation of relations) {
    if (relation.kind === 'belongsTo') await linkParents(context, relation, items, values);
  }
  checkRequiredKeys(context, shape, items, values);
  const table = tableOf(context, shape.model);
  // One INSERT for every new row of this model at this level (split only past the parameter limit).
  const rows = (await insertReturning(context.tx, table.table, values)) as Row[];
  await check?.(rows);
  context.planned.written(shape.model, rows);
  for (const relation of relations) {
    if (relation.kind !== 'belongsTo') await writeChildLink(context, relation, items, rows);
  }
  for (const relation of shape.model.manyToMany.values()) {
    for (const [i, item] of items.entries()) {
      const links = item.input[relation.name];
      const row = rows[i];
      if (links != null && row)
        await writePivotLinks(context, relation, row, links, `${item.path}.${relation.name}`);
    }
  }
  return rows;
}
