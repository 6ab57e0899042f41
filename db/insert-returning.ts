/**
 * A multi-row INSERT … RETURNING that any number of rows can go through: split only where the rows'
 * bound values would pass what one statement may carry. Factories and mutations share it.
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';

/**
 * Bound values per statement: postgres.js refuses 65,534 or more (PostgreSQL's protocol counts them
 * in 16 bits), so 65,533 is the most every driver takes.
 */
export const MAX_PARAMETERS = 65_533;

type Values = Record<string, unknown>;

/** Columns a row binds: every value that is not left to the column default. */
const parametersOf = (values: Values) =>
  Object.values(values).reduce<number>((sum, value) => sum + (value === undefined ? 0 : 1), 0);

/**
 * Inserts `rows` into `table` in as few statements as the parameter limit allows (one, below it) and
 * returns the inserted rows in the order given (RETURNING lists rows in the order of VALUES).
 */
export async function insertReturning(
  db: Database,
  table: PgTable,
  rows: readonly Values[],
): Promise<Values[]> {
  const widest = rows.reduce((most, each) => Math.max(most, parametersOf(each)), 1);
  const perStatement = Math.floor(MAX_PARAMETERS / widest);
  const returned: Values[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    returned.push(
      ...(await db
        .insert(table)
        .values(rows.slice(start, start + perStatement))
        .returning()),
    );
  }
  return returned;
}
