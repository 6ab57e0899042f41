/** Root query fields: one row by primary key or unique field, and a page of a model's rows. */
import { type SQL, sql } from 'drizzle-orm';
import { keyOf, parseKey, sqlTypeOf } from '../db/keys.ts';
import type { ModelTable } from '../db/tables.ts';
import type { Row } from '../loaders/load-rows.ts';
import type { GraphField, GraphModel } from '../schema/graph.ts';
import { lookupFieldName, modelNames } from '../schema/graphql-names.ts';
import type { RequestContext } from '../server/context.ts';
import { type Connection, decodeCursor, encodeCursor, pageSize } from './connection.ts';
import { clientError, ErrorCode } from './errors.ts';

type Resolver = (source: unknown, args: Record<string, unknown>, context: RequestContext) => unknown;

/** The canonical key of a client-supplied value, or a BAD_USER_INPUT naming the argument. */
export function keyArgument(field: GraphField, value: unknown, argument: string): string {
  const parsed = parseKey(field, value);
  if ('error' in parsed)
    throw clientError(ErrorCode.BAD_USER_INPUT, `Argument "${argument}": ${parsed.error}`, { argument });
  return parsed.key;
}

/** `<key> = <value>` with the value cast to the column's type (values are canonical strings). */
export function compareKey(table: ModelTable, field: GraphField, operator: '>' | '=', key: string): SQL {
  const type = sql.raw(sqlTypeOf(field, `${table.model.table}_${field.column}`));
  return sql`${table.columns[field.name]} ${sql.raw(operator)} ${key}::${type}`;
}

/** The cursor of a row in primary-key order. */
export const primaryKeyCursor = (model: GraphModel) => (row: Row) =>
  encodeCursor([keyOf(row[model.primaryKey.name])]);

async function listRows(
  table: ModelTable,
  args: Record<string, unknown>,
  context: RequestContext,
): Promise<Connection> {
  const { model } = table;
  const key = model.primaryKey;
  const size = pageSize(args.first as number | null | undefined, context.options.maxPageSize);
  const after = args.after as string | null | undefined;
  const afterKey = after == null ? undefined : keyArgument(key, decodeCursor(after, 1)[0], 'after');
  const rows: Row[] = await context.db
    .select()
    .from(table.table)
    .where(afterKey === undefined ? undefined : compareKey(table, key, '>', afterKey))
    .orderBy(sql`${table.columns[key.name]} asc`)
    .limit(size + 1);
  const nodes = rows.slice(0, size);
  context.loaders.prime(model, nodes);
  return {
    nodes,
    hasNextPage: rows.length > size,
    hasPreviousPage: afterKey !== undefined,
    cursorOf: primaryKeyCursor(model),
    totalCount: async () => {
      const [result] = await context.db.select({ count: sql<number>`count(*)::int` }).from(table.table);
      return result?.count ?? 0;
    },
  };
}

/** The `Query` fields of one model. */
export function queryFieldsOf(table: ModelTable): Record<string, Resolver> {
  const { model } = table;
  const names = modelNames(model);
  const fields: Record<string, Resolver> = {
    [names.list]: (_source, args, context) => listRows(table, args, context),
  };
  for (const field of model.uniqueFields) {
    const name = field.primary ? names.one : lookupFieldName(model, field);
    fields[name] = (_source, args, context) =>
      context.loaders.one(field, keyArgument(field, args[field.name], field.name));
  }
  return fields;
}
