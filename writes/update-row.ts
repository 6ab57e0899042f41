/** Updating one row and its relations: own fields and parents first, then children. */

import type { SQL } from 'drizzle-orm';
import { keyOf } from '../db/keys.ts';
import type { Row } from '../db/prepared-rows.ts';
import { notFound } from '../errors.ts';
import { keyEquals } from '../query/key-sql.ts';
import type { GraphRelation } from '../schema/graph.ts';
import type { WriteShape } from '../schema/input-names.ts';
import { inputRelations } from '../schema/mutation-type-defs.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { writeChildLink } from './child-links.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { linkParents } from './create-rows.ts';
import { checkFieldWrites } from './field-writes.ts';
import { fieldValues, type Values } from './input-values.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { writePivotLinks } from './pivot-links.ts';
import { checkReadableKeys } from './readable-keys.ts';
import { singleOperation } from './relation-input.ts';
import { tableOf, type WriteContext } from './write-context.ts';
import { deleteLocated, guarded, locateForWrite, updateChecked } from './write-guard.ts';

type Later = () => Promise<unknown>;

/** update, disconnect and delete of the parent a row points at; the other operations link a parent. */
async function writeParent(
  context: WriteContext,
  relation: GraphRelation,
  current: Row,
  input: Values,
  path: string,
  values: Values,
  later: Later[],
) {
  const at = `${path}.${relation.name}`;
  const [operation, argument] = singleOperation(relation, input[relation.name], at);
  const { link, target } = relation;
  const key = keyOf(current[link.foreignKey.name]);
  const parentCondition = () => {
    if (key === null) throw notFound(`${at}.${operation}`, target, `linked to this ${relation.model.name}`);
    return keyEquals(tableOf(context, target), link.referencedKey, key);
  };
  if (operation === 'update') {
    const shape: WriteShape = { model: target, mode: 'update', via: link };
    await updateRow(
      context,
      shape,
      parentCondition(),
      argument as Values,
      `${at}.update`,
      `linked to this ${relation.model.name}`,
    );
  } else if (operation === 'disconnect' || operation === 'delete') {
    const condition = parentCondition();
    values[link.foreignKey.name] = null;
    // The row lets go of its parent before the parent is deleted, so onDelete never reaches it.
    if (operation === 'delete' && guarded(context, target, 'delete', {})) {
      const mine = `linked to this ${relation.model.name}`;
      const { row } = await locateForWrite(context, target, condition, 'delete', {}, `${at}.delete`, mine);
      later.push(() => deleteLocated(context, target, row));
    } else if (operation === 'delete') {
      later.push(() => context.tx.delete(tableOf(context, target).table).where(condition));
    }
  } else {
    await linkParents(context, relation, [{ input, path }], [values]);
  }
}

/**
 * Updates the one row matching `condition` with `input` (fields and nested relations); a NOT_FOUND
 * (`no <Model> <missing>`) when there is none. Returns the row as written.
 */
export async function updateRow(
  context: WriteContext,
  shape: WriteShape,
  condition: SQL,
  input: Values,
  path: string,
  missing: string,
): Promise<Row> {
  const { row: current, after } = await locateForWrite(
    context,
    shape.model,
    condition,
    'update',
    input,
    path,
    missing,
  );
  checkFieldWrites(context, shape.model, 'update', input, path);
  const values = fieldValues(context, shape, input, path);
  await checkReadableKeys(context, shape.model, [input], [values]);
  const later: Later[] = [];
  const relations = inputRelations(shape).filter((relation) => input[relation.name] != null);
  for (const relation of relations) {
    if (relation.kind === 'belongsTo')
      await writeParent(context, relation, current, input, path, values, later);
  }
  let row = current;
  if (Object.keys(values).length > 0) {
    row = (await updateChecked(context, shape.model, current, values, after, path)) ?? current;
  }
  for (const relation of relations) {
    if (relation.kind !== 'belongsTo') await writeChildLink(context, relation, [{ input, path }], [row]);
  }
  for (const relation of shape.model.manyToMany.values()) {
    const links = input[relation.name];
    if (links != null) await writePivotLinks(context, relation, row, links, `${path}.${relation.name}`);
  }
  for (const action of later) await action();
  return row;
}
