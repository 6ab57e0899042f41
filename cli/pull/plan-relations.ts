/**
 * Foreign keys → relations. Each single-column foreign key between two models becomes a `belongsTo` on
 * the table that holds it, named after the column (`author_id` → `author`), and its inverse on the
 * referenced model: `hasOne` when the column is unique, `hasMany` otherwise, named after the holder
 * (`posts`, `passport`). When one pair of models has several links (or a model links to itself), the
 * inverse is named `<holder plural>As<Relation>` (`postsAsAuthor`, `postsAsEditor`) and both sides name
 * each other with `inverse`. Options are written only where the conventions would say otherwise.
 */

import { camelCase, pascalCase, plural } from '../../schema/naming.ts';
import type { OnDelete } from '../../schema/relation.ts';
import type { CatalogForeignKey, CatalogTable } from './introspect.ts';
import { columnLabel, type ModelPlan, type OptionValue } from './model-plan.ts';
import { conventionalColumn, fieldNameOf, unusedName, usableName } from './names.ts';

/** A table that became a model, with the names already given to its columns. */
export interface PlannedTable {
  readonly table: CatalogTable;
  readonly model: ModelPlan;
  /** Field names of the primary key, the plain columns and (as they are planned) the foreign keys. */
  readonly fieldNames: Set<string>;
}

interface Link {
  readonly holder: PlannedTable;
  readonly referenced: PlannedTable;
  readonly foreignKey: CatalogForeignKey;
  readonly column: string;
  readonly referencedColumn: string;
}

const uniqueColumn = (table: CatalogTable, column: string) =>
  [table.primaryKey, ...table.uniques].some((key) => key?.columns.length === 1 && key.columns[0] === column);

/**
 * The foreign keys of `holder` that can be relations; notes on the others (several columns, a table
 * that is not a model, the primary key itself), which stay plain fields.
 */
export function linksOf(holder: PlannedTable, byTable: ReadonlyMap<string, PlannedTable>): Link[] {
  const links: Link[] = [];
  const used = new Set<string>();
  for (const foreignKey of holder.table.foreignKeys) {
    const [column, ...more] = foreignKey.columns;
    const [referencedColumn] = foreignKey.referencedColumns;
    const referenced = byTable.get(foreignKey.referencedTable);
    const label = columnLabel(holder.table.name, ...foreignKey.columns);
    const skip = (why: string) =>
      holder.model.notes.push(
        `${label}: foreign key "${foreignKey.name}" ${why}; the column stays a plain field.`,
      );
    if (column === undefined || referencedColumn === undefined || more.length > 0)
      skip('has several columns, which relgraph cannot declare');
    else if (!referenced) skip(`references "${foreignKey.referencedTable}", which is not a model`);
    else if (!usableName(column)) skip('is on a column whose name holds a " or a control character');
    else if (holder.table.primaryKey?.columns.includes(column))
      skip('is on the primary key, which relgraph cannot declare');
    else if (used.has(column)) skip(`is a second foreign key on "${column}"`);
    else {
      used.add(column);
      links.push({ holder, referenced, foreignKey, column, referencedColumn });
    }
  }
  return links;
}

/** The name of the field planned for `column` (renamed when its name was taken), else the column's. */
function fieldOfColumn(planned: PlannedTable, column: string): string {
  const field = planned.model.fields.find(
    (candidate) => (candidate.options.column ?? conventionalColumn(candidate.name)) === column,
  );
  return field?.name ?? fieldNameOf(column);
}

/** What `onDelete` relgraph declares for the constraint's action, and a note when it is not the same. */
function onDeleteOf(link: Link, optional: boolean): { value: OnDelete; note?: string } {
  const action = link.foreignKey.onDelete;
  const label = columnLabel(link.holder.table.name, link.column);
  if (action === 'cascade' || action === 'restrict') return { value: action };
  if (action === 'set null' && optional) return { value: action };
  const value: OnDelete = action === 'no action' ? 'restrict' : optional ? 'set null' : 'cascade';
  return {
    value,
    note: `${label}: ON DELETE ${action.toUpperCase()}; relgraph declares '${value}', so a migration would change the constraint.`,
  };
}

/** Adds the relations of every link to both models, with names that are unique on each. */
export function planRelations(links: readonly Link[]): void {
  const taken = (model: PlannedTable) => (name: string) =>
    model.fieldNames.has(name) || model.model.relations.some((relation) => relation.name === name);
  const pairs = new Map<string, number>();
  const pairOf = (link: Link) => `${link.holder.table.name}\u0000${link.referenced.table.name}`;
  for (const link of links) pairs.set(pairOf(link), (pairs.get(pairOf(link)) ?? 0) + 1);

  for (const link of links) {
    const { holder, referenced } = link;
    const holderName = holder.model.name;
    const unique = uniqueColumn(holder.table, link.column);
    const optional = holder.table.columns.find((column) => column.name === link.column)?.nullable === true;
    const columnName = fieldNameOf(link.column);
    const referencedKey = fieldOfColumn(referenced, link.referencedColumn);
    const suffix = [pascalCase(referencedKey), 'Id'].find(
      (end) => columnName.endsWith(end) && columnName.length > end.length,
    );
    const stem = suffix ? columnName.slice(0, -suffix.length) : columnName;
    const name = unusedName(stem, taken(holder));
    const foreignKey = unusedName(stem !== columnName ? columnName : `${name}Id`, taken(holder));
    holder.fieldNames.add(foreignKey);
    const primaryKey = referenced.table.primaryKey?.columns[0] === link.referencedColumn;
    const plainInverse = camelCase(unique ? holderName : plural(holderName));
    const paired = (pairs.get(pairOf(link)) ?? 0) > 1 || holder === referenced;
    const isTaken = taken(referenced);
    const inverse = unusedName(
      paired ? `${plainInverse}As${pascalCase(name)}` : plainInverse,
      (candidate) => isTaken(candidate) || (holder === referenced && candidate === name),
    );
    const onDelete = onDeleteOf(link, optional);
    if (onDelete.note) holder.model.notes.push(onDelete.note);
    const child: Record<string, OptionValue> = {};
    if (foreignKey !== `${name}Id`) child.foreignKey = foreignKey;
    if (conventionalColumn(foreignKey) !== link.column) child.column = link.column;
    if (!primaryKey) child.ownerKey = referencedKey;
    if (optional) child.optional = true;
    if (onDelete.value !== (optional ? 'set null' : 'cascade')) child.onDelete = onDelete.value;
    if (paired) child.inverse = inverse;
    const parent: Record<string, OptionValue> = {};
    const referencedPrimary = fieldOfColumn(referenced, referenced.table.primaryKey?.columns[0] ?? 'id');
    if (foreignKey !== camelCase(referenced.model.name) + pascalCase(referencedPrimary))
      parent.foreignKey = foreignKey;
    if (!primaryKey) parent.localKey = referencedKey;
    if (paired) parent.inverse = name;
    holder.model.relations.push({ name, kind: 'belongsTo', target: referenced.model.name, options: child });
    referenced.model.relations.push({
      name: inverse,
      kind: unique ? 'hasOne' : 'hasMany',
      target: holderName,
      options: parent,
    });
  }
}
