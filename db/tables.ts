/** Drizzle tables derived from the relation graph: columns, foreign keys with onDelete, indexes. */
import {
  type AnyPgColumn,
  foreignKey,
  index,
  type PgEnum,
  type PgTable,
  pgEnum,
  pgTable,
  unique,
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
  /** The pivot table of every many-to-many link, by the pivot model's name (`BookTag`). */
  readonly pivots: ReadonlyMap<string, ModelTable>;
  /** Tables and enums by name, the shape drizzle-kit reads (`generateDrizzleJson`). */
  readonly exports: Readonly<Record<string, PgTable | Enum>>;
}

type Enum = PgEnum<[string, ...string[]]>;

/** The table of the model named `name`; every model of the graph has one, so a miss is a bug. */
export function modelTable(tables: Pick<Tables, 'byModel' | 'pivots'>, name: string): ModelTable {
  const table = tables.byModel.get(name) ?? tables.pivots.get(name);
  if (!table) throw new Error(`relgraph: no table was built for model "${name}"`);
  return table;
}

/** Every model of the graph and every pivot model. */
const allModels = (graph: RelationGraph) => [
  ...graph.models.values(),
  ...graph.pivots.map((pivot) => pivot.model),
];

/** One PostgreSQL enum type per enum field that defines one; foreign keys share their key's type. */
function enumsOf(graph: RelationGraph): Map<string, Enum> {
  const enums = new Map<string, Enum>();
  for (const model of allModels(graph)) {
    for (const field of model.fields.values()) {
      const [first, ...rest] = field.enumValues ?? [];
      if (field.enumType && first !== undefined && !enums.has(field.enumType)) {
        enums.set(field.enumType, pgEnum(field.enumType, [first, ...rest]));
      }
    }
  }
  return enums;
}

function tableOf(
  model: GraphModel,
  enums: Map<string, Enum>,
  graph: RelationGraph,
  lookup: (name: string) => ModelTable,
) {
  const builders: Record<string, ColumnBuilder> = {};
  for (const field of model.fields.values())
    builders[field.name] = buildColumn(
      field,
      field.enumType === undefined ? undefined : enums.get(field.enumType),
    );
  const outgoing = graph.links.filter((link) => link.holder === model);
  return pgTable(model.table, builders, (self) => {
    const column = (name: string) => self[name] as AnyPgColumn;
    const uniques = [...model.fields.values()]
      .filter((field) => field.unique && !field.primary)
      // Constraints, not indexes: drizzle-kit writes them inside CREATE TABLE, before any foreign key
      // that references the column (PostgreSQL requires the unique index to exist first).
      .map((field) => unique(`${model.table}_${field.column}_unique`).on(column(field.name)));
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
    return [...uniques, ...plainIndexes, ...foreignKeys, ...pivotConstraints(graph, model, column, lookup)];
  });
}

/**
 * A pivot's pair is UNIQUE (a link exists at most once, and concurrent attaches of one pair cannot
 * both land), each key references its side with `on delete cascade`, and the second key is indexed
 * for reads from the other side (the unique index serves the first).
 */
function pivotConstraints(
  graph: RelationGraph,
  model: GraphModel,
  column: (name: string) => AnyPgColumn,
  lookup: (name: string) => ModelTable,
) {
  const pivot = graph.pivots.find((each) => each.model === model);
  if (!pivot) return [];
  const [first, second] = pivot.ends;
  return [
    unique(`${model.table}_${first.pivotKey.column}_${second.pivotKey.column}_unique`).on(
      column(first.pivotKey.name),
      column(second.pivotKey.name),
    ),
    index(`${model.table}_${second.pivotKey.column}_idx`).on(column(second.pivotKey.name)),
    ...pivot.ends.map((end) =>
      foreignKey({
        name: `${model.table}_${end.pivotKey.column}_fkey`,
        columns: [column(end.pivotKey.name)],
        foreignColumns: [lookup(end.model.name).columns[end.key.name] as AnyPgColumn],
      }).onDelete('cascade'),
    ),
  ];
}

/** Builds every model's Drizzle table. Referenced tables resolve lazily, so links may form cycles. */
export function buildTables(graph: RelationGraph): Tables {
  const byModel = new Map<string, ModelTable>();
  const pivots = new Map<string, ModelTable>();
  const exports: Record<string, PgTable | Enum> = {};
  const lookup = (name: string) => modelTable({ byModel, pivots }, name);
  const enums = enumsOf(graph);
  for (const enumType of enums.values()) exports[enumType.enumName] = enumType;
  const pivotModels = new Set(graph.pivots.map((pivot) => pivot.model));
  for (const model of allModels(graph)) {
    const table = tableOf(model, enums, graph, lookup);
    const columns = table as unknown as Record<string, AnyPgColumn>;
    const fieldColumns = Object.fromEntries(
      [...model.fields.keys()].map((name) => [name, columns[name] as AnyPgColumn]),
    );
    (pivotModels.has(model) ? pivots : byModel).set(model.name, { model, table, columns: fieldColumns });
    exports[model.table] = table;
  }
  return { byModel, pivots, exports };
}
