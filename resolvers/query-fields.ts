/** Root query fields: one row by primary key or unique field, and a page of a model's rows. */
import { type SQL, sql } from 'drizzle-orm';
import { parseKey, sqlTypeOf } from '../db/keys.ts';
import type { ModelTable } from '../db/tables.ts';
import type { GraphField } from '../schema/graph.ts';
import { lookupFieldName, modelNames } from '../schema/graphql-names.ts';
import type { RequestContext } from '../server/context.ts';
import { clientError, ErrorCode } from './errors.ts';
import { listRows } from './lists/list-rows.ts';

type Resolver = (source: unknown, args: Record<string, unknown>, context: RequestContext) => unknown;

/** The canonical key of a client-supplied value, or a BAD_USER_INPUT naming the argument. */
export function keyArgument(field: GraphField, value: unknown, argument: string): string {
  const parsed = parseKey(field, value);
  if ('error' in parsed)
    throw clientError(ErrorCode.BAD_USER_INPUT, `Argument "${argument}": ${parsed.error}`, { argument });
  return parsed.key;
}

/** `<column> = <key>` with the key (a canonical string) cast to the column's type. */
export function keyEquals(table: ModelTable, field: GraphField, key: string): SQL {
  return sql`${table.columns[field.name]} = ${key}::${sql.raw(sqlTypeOf(field))}`;
}

/** The `Query` fields of one model. */
export function queryFieldsOf(table: ModelTable): Record<string, Resolver> {
  const { model } = table;
  const names = modelNames(model);
  const fields: Record<string, Resolver> = {
    [names.list]: (_source, args, context) => listRows(context, table, args),
  };
  for (const field of model.uniqueFields) {
    const name = field.primary ? names.one : lookupFieldName(model, field);
    fields[name] = (_source, args, context) =>
      context.loaders.one(field, keyArgument(field, args[field.name], field.name));
  }
  return fields;
}
