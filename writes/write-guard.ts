/**
 * Write rules inside a mutation's transaction. A row the viewer may not read is NOT_FOUND to every
 * write, as if it did not exist; a readable row the rule refuses is FORBIDDEN; a refused write throws,
 * so the transaction rolls back and nothing of the mutation is written. Models without rules take
 * the statements they always took.
 */

import { type SQL, sql } from 'drizzle-orm';
import { StatementAccess, visibleSelection } from '../access/statement-rules.ts';
import { keyOf, sqlTypeOf } from '../db/keys.ts';
import type { Row, Selection } from '../db/prepared-rows.ts';
import { forbiddenError, notFound } from '../errors.ts';
import { keyEquals } from '../query/key-sql.ts';
import { Aliases, type Scope } from '../query/scope.ts';
import type { RuleResult, WriteOperation } from '../schema/access-rules.ts';
import type { GraphField, GraphModel } from '../schema/graph.ts';
import { tableOf, type WriteContext } from './write-context.ts';

type Values = Record<string, unknown>;

const ALLOWED = '__allowed';

/** A FORBIDDEN that names the operation, the model and where in the input it was asked for. */
function forbidden(context: WriteContext, path: string, operation: string, model: GraphModel) {
  const anonymous = context.access.viewer === null;
  const who = anonymous ? 'an anonymous viewer' : 'you';
  return forbiddenError(
    `${path}: the access rule of ${model.name} does not allow ${who} to ${operation} this ${model.name}${anonymous ? '; sign in first' : ''}.`,
    { path, model: model.name, operation },
  );
}

/** The statement-level view of the viewer's rules, values bound as parameters (run once). */
function rulesOf(context: WriteContext, model: GraphModel) {
  const aliases = new Aliases(context.tables, new StatementAccess(context.access, false));
  const scope = aliases.root(tableOf(context, model));
  return { aliases, scope };
}

/** `coalesce(<filter>, false)` for a rule's filter on rows at `scope`. */
function ruleCondition(
  context: WriteContext,
  model: GraphModel,
  rule: Exclude<RuleResult, boolean>,
  scope: Scope,
  aliases: Aliases,
  operation: WriteOperation,
): SQL {
  const condition = context.access.condition(model, rule, scope, aliases, `access.${operation}`);
  return sql`coalesce(${condition}, false)`;
}

/** Whether writes of `model` this viewer asks for need checking: it has rules that are not all `true`. */
export function guarded(context: WriteContext, model: GraphModel, operation: WriteOperation, input: Values) {
  if (!model.definition.access) return false;
  return (
    context.access.restriction(model) !== undefined ||
    context.access.writeRule(model, operation, input) !== true
  );
}

/**
 * The one row matching `condition` that the viewer may read, locked for the rest of the transaction
 * and checked against the `operation` rule for `input`: NOT_FOUND (`no <Model> <missing>`) when there
 * is none, FORBIDDEN when the rule refuses it. Hidden fields come back `null`. Returns the row and
 * the filter the row must still match after an update.
 */
export async function locateForWrite(
  context: WriteContext,
  model: GraphModel,
  condition: SQL,
  operation: WriteOperation,
  input: Values,
  path: string,
  missing: string,
): Promise<{ row: Row; after: SQL | undefined }> {
  const table = tableOf(context, model);
  const rule = context.access.writeRule(model, operation, input);
  const { aliases, scope } = rulesOf(context, model);
  const readable = aliases.rules?.rowCondition(model, scope, aliases);
  const allowed =
    typeof rule === 'object' ? ruleCondition(context, model, rule, scope, aliases, operation) : undefined;
  const selection: Record<string, Selection[string]> = { ...visibleSelection(table, scope, aliases) };
  if (allowed) selection[ALLOWED] = allowed.as(ALLOWED);
  const [found] = await context.tx
    .select(selection)
    .from(table.table)
    .where(readable ? sql`${condition} and ${readable}` : condition)
    .limit(1)
    .for('update');
  if (!found) throw notFound(path, model, missing);
  if (rule === false || (allowed && found[ALLOWED] !== true))
    throw forbidden(context, path, operation, model);
  const { [ALLOWED]: _allowed, ...row } = found as Row;
  return { row, after: allowed };
}

/** Updates the row `current` with `values`; FORBIDDEN when it no longer matches `after` (its update rule). */
export async function updateChecked(
  context: WriteContext,
  model: GraphModel,
  current: Row,
  values: Values,
  after: SQL | undefined,
  path: string,
): Promise<Row | undefined> {
  const table = tableOf(context, model);
  const where = keyEquals(table, model.primaryKey, keyOf(current[model.primaryKey.name]) ?? '');
  const update = context.tx.update(table.table).set(values).where(where);
  if (!after) return (await update.returning())[0];
  const [updated] = (await update.returning({ ...table.columns, [ALLOWED]: after })) as Row[];
  if (updated && updated[ALLOWED] !== true) throw forbidden(context, path, 'update', model);
  if (!updated) return undefined;
  const { [ALLOWED]: _allowed, ...row } = updated;
  return row;
}

/** Deletes the row `current` (located with `locateForWrite`). */
export async function deleteLocated(context: WriteContext, model: GraphModel, current: Row): Promise<void> {
  const table = tableOf(context, model);
  const key = keyOf(current[model.primaryKey.name]) ?? '';
  await context.tx.delete(table.table).where(keyEquals(table, model.primaryKey, key));
}

/**
 * Updates the row matching `condition` with `values`: under the viewer's rules when the model has
 * some (the row locked, checked before and after), else as a plain UPDATE. NOT_FOUND (`no <Model>
 * <missing>`) when no row (or none the viewer may read) matches. `check` (default: none) runs once the
 * row is found under rules, or before the plain UPDATE: the caller's field write check, ordered so a
 * refusal never reveals a row the viewer cannot read. The one "guarded or plain" fork of an update.
 */
export async function updateOne(
  context: WriteContext,
  model: GraphModel,
  condition: SQL,
  values: Values,
  path: string,
  missing: string,
  check: () => void = () => {},
): Promise<Row> {
  if (guarded(context, model, 'update', values)) {
    const { row, after } = await locateForWrite(context, model, condition, 'update', values, path, missing);
    check();
    return (await updateChecked(context, model, row, values, after, path)) ?? row;
  }
  check();
  const [row] = await context.tx
    .update(tableOf(context, model).table)
    .set(values)
    .where(condition)
    .returning();
  if (!row) throw notFound(path, model, missing);
  return row;
}

/**
 * Deletes the row matching `condition`: under the viewer's rules when the model has some (the row
 * located, locked and checked against the delete rule), else as a plain DELETE. NOT_FOUND when no row
 * (or none the viewer may read) matches. Returns the deleted row. The one "guarded or plain" fork of a
 * delete.
 */
export async function deleteOne(
  context: WriteContext,
  model: GraphModel,
  condition: SQL,
  path: string,
  missing: string,
): Promise<Row> {
  if (guarded(context, model, 'delete', {})) {
    const { row } = await locateForWrite(context, model, condition, 'delete', {}, path, missing);
    await deleteLocated(context, model, row);
    return row;
  }
  const [row] = await context.tx.delete(tableOf(context, model).table).where(condition).returning();
  if (!row) throw notFound(path, model, missing);
  return row;
}

/** `condition` narrowed to rows the viewer may read (the keys a write names); unchanged without rules. */
export function readableOnly(context: WriteContext, model: GraphModel, condition: SQL): SQL {
  if (!model.definition.access || !context.access.restriction(model)) return condition;
  const { aliases, scope } = rulesOf(context, model);
  const readable = aliases.rules?.rowCondition(model, scope, aliases);
  return readable ? sql`${condition} and ${readable}` : condition;
}

/**
 * `<field> = <key>` for a lookup by a unique field (a connect target, say), narrowed to rows the
 * viewer may read and on which it may see `field`: a row matched by a value hidden from the viewer is
 * as missing as a row that does not exist. Exactly `<field> = <key>` without rules.
 */
export function visibleMatch(context: WriteContext, model: GraphModel, field: GraphField, key: string): SQL {
  const equals = keyEquals(tableOf(context, model), field, key);
  if (!model.definition.access || !context.access.restriction(model)) return equals;
  const { aliases, scope } = rulesOf(context, model);
  // `case when <field rule> then <column> end`: null where the field is hidden, so it never equals.
  const visible = aliases.rules?.visibleValue(field, scope, aliases);
  const matches = visible ? sql`${equals} and ${visible} = ${key}::${sql.raw(sqlTypeOf(field))}` : equals;
  return readableOnly(context, model, matches);
}

/**
 * Checks the create rule of every new row: a refusal before anything is inserted; a filter after the
 * INSERT (one statement for all rows of the level), so it can look at the row and its relations.
 */
export function createChecks(
  context: WriteContext,
  model: GraphModel,
  inputs: readonly Values[],
  paths: readonly string[],
) {
  if (!model.definition.access) return undefined;
  const rules = inputs.map((input) => context.access.writeRule(model, 'create', input));
  for (const [i, rule] of rules.entries())
    if (rule === false) throw forbidden(context, paths[i] ?? 'input', 'create', model);
  if (rules.every((rule) => rule === true)) return undefined;
  return async (rows: readonly Row[]) => {
    const table = tableOf(context, model);
    const { aliases, scope } = rulesOf(context, model);
    const key = model.primaryKey;
    const branches = rows.flatMap((row, i) => {
      const rule = rules[i];
      if (typeof rule !== 'object') return [];
      const condition = ruleCondition(context, model, rule, scope, aliases, 'create');
      return [sql`(${keyEquals(table, key, keyOf(row[key.name]) ?? '')} and ${condition})`];
    });
    const passed = await context.tx
      .select({ key: sql<string>`${scope.column(key)}::text` })
      .from(table.table)
      .where(sql.join(branches, sql` or `));
    const allowed = new Set(passed.map((row) => row.key));
    for (const [i, row] of rows.entries()) {
      if (typeof rules[i] === 'object' && !allowed.has(keyOf(row[key.name]) ?? ''))
        throw forbidden(context, paths[i] ?? 'input', 'create', model);
    }
  };
}

/**
 * The row a mutation answers with, read back inside its transaction as the viewer may see it (hidden
 * fields `null`); FORBIDDEN, and nothing written, when the viewer could write it but not read it.
 */
export async function readBack(
  context: WriteContext,
  model: GraphModel,
  row: Row,
  path: string,
): Promise<Row> {
  if (!model.definition.access || !context.access.restriction(model)) return row;
  const table = tableOf(context, model);
  const { aliases, scope } = rulesOf(context, model);
  const readable = aliases.rules?.rowCondition(model, scope, aliases);
  const key = keyEquals(table, model.primaryKey, keyOf(row[model.primaryKey.name]) ?? '');
  const [visible] = await context.tx
    .select(visibleSelection(table, scope, aliases))
    .from(table.table)
    .where(readable ? sql`${key} and ${readable}` : key);
  if (!visible)
    throw forbiddenError(
      `${path}: the ${model.name} would not be readable by you once written, so it was not written (its access rule for reading does not match it).`,
      { path, model: model.name, operation: 'read' },
    );
  return visible as Row;
}
