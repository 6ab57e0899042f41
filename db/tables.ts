/** Drizzle tables derived from the relation graph: columns, foreign keys with onDelete, indexes. */
import {
  type AnyPgColumn,
  foreignKey,
  index,
  type PgEnum,
  type PgTable,
  pgEnum,
  pgTable,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { GraphLink, GraphModel, RelationGraph } from '../schema/graph.ts';
import { buildColumn, type ColumnBuilder } from './columns.ts';

/** A model's table and its columns by field name (rows come back keyed by field name). */
export interface ModelTable {
  readonly model: GraphModel;
  readonly table: PgTable;
  readonly columns: Readonly<Record<string, AnyPgColumn>>;
}

export interface Tables {
  readonly byModel: ReadonlyMap<string, ModelTable>;
  /** Tables and enums by name, the shape drizzle-kit reads (`generateDrizzleJson`). */
  readonly exports: Readonly<Record<string, PgTable | PgEnum<[string, ...string[]]>>>;
}

function enumsOf(model: GraphModel) {
  const enums = new Map<string, PgEnum<[string, ...string[]]>>();
  for (const field of model.fields.values()) {
    const [first, ...rest] = field.enumValues ?? [];
    if (field.kind === 'enum' && first !== undefined) {
      enums.set(field.name, pgEnum(`${model.table}_${field.column}`, [first, ...rest]));
    }
  }
  return enums;
}

function tableOf(
  model: GraphModel,
  enums: Map<string, PgEnum<[string, ...string[]]>>,
  graph: RelationGraph,
  lookup: (name: string) => ModelTable,
) {
  const builders: Record<string, ColumnBuilder> = {};
  for (const field of model.fields.values()) builders[field.name] = buildColumn(field, enums.get(field.name));
  const outgoing = graph.links.filter((link) => link.holder === model);
  return pgTable(model.table, builders, (self) => {
    const column = (name: string) => self[name] as AnyPgColumn;
    const uniques = [...model.fields.values()]
      .filter((field) => field.unique && !field.primary)
      .map((field) => uniqueIndex(`${model.table}_${field.column}_unique`).on(column(field.name)));
    const plainIndexes = outgoing
      .filter((link) => !link.foreignKey.unique && !link.foreignKey.primary)
      .map((link) => index(`${model.table}_${link.foreignKey.column}_idx`).on(column(link.foreignKey.name)));
    const foreignKeys = outgoing.map((link: GraphLink) =>
      foreignKey({
        name: `${model.table}_${link.foreignKey.column}_fkey`,
        columns: [column(link.foreignKey.name)],
        foreignColumns: [lookup(link.referenced.name).columns[link.referencedKey.name] as AnyPgColumn],
      }).onDelete(link.onDelete),
    );
    return [...uniques, ...plainIndexes, ...foreignKeys];
  });
}

/** Builds every model's Drizzle table. Referenced tables resolve lazily, so links may form cycles. */
export function buildTables(graph: RelationGraph): Tables {
  const byModel = new Map<string, ModelTable>();
  const exports: Record<string, PgTable | PgEnum<[string, ...string[]]>> = {};
  const lookup = (name: string) => {
    const found = byModel.get(name);
    if (!found) throw new Error(`relgraph: no table was built for model "${name}"`);
    return found;
  };
  for (const model of graph.models.values()) {
    const enums = enumsOf(model);
    const table = tableOf(model, enums, graph, lookup);
    const columns = table as unknown as Record<string, AnyPgColumn>;
    const fieldColumns = Object.fromEntries(
      [...model.fields.keys()].map((name) => [name, columns[name] as AnyPgColumn]),
    );
    byModel.set(model.name, { model, table, columns: fieldColumns });
    exports[model.table] = table;
    for (const enumType of enums.values()) exports[enumType.enumName] = enumType;
  }
  return { byModel, exports };
}
