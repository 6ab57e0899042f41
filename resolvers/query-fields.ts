/** Root query fields: one row by primary key or unique field, and a page of a model's rows. */
import type { ModelTable } from '../db/tables.ts';
import { listRows } from '../loaders/list-rows.ts';
import type { RequestContext } from '../loaders/request-context.ts';
import { keyArgument } from '../query/key-sql.ts';
import { lookupFieldName, modelNames } from '../schema/graphql-names.ts';

type Resolver = (source: unknown, args: Record<string, unknown>, context: RequestContext) => unknown;

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
