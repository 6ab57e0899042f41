/** Keys given by clients and compared in SQL: parsed once, cast to the column's type in the statement. */
import { type SQL, sql } from 'drizzle-orm';
import { parseKey, sqlTypeOf } from '../db/keys.ts';
import type { ModelTable } from '../db/tables.ts';
import { clientError, ErrorCode } from '../errors.ts';
import type { GraphField } from '../schema/graph.ts';

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
