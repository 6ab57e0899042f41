/**
 * Which table and column names relgraph accepts. The DDL of `push` and of generated migrations comes
 * from drizzle-kit, which writes `"name"` without doubling a `"` inside it, so such a name would fail
 * the push with a raw database error; it is rejected when the graph is built instead.
 */
import type { Problems } from './definition-error.ts';

/** Any character but `"` and control characters (PostgreSQL takes no NUL; a line break helps nobody). */
const SQL_NAME = /^[^"\p{Cc}]+$/u;

/** PostgreSQL keeps the first 63 bytes of a name (NAMEDATALEN - 1) and silently drops the rest. */
const MAX_BYTES = 63;

/**
 * Reports a table or column name with a `"` or a control character, empty, or longer than 63 bytes;
 * any other name works (every statement quotes it). `subject` opens the message: `Field "User.email"`.
 */
export function checkSqlName(subject: string, kind: 'table' | 'column', name: string, problems: Problems) {
  if (SQL_NAME.test(name) && new TextEncoder().encode(name).length <= MAX_BYTES) return;
  problems.add(
    `${subject}: a ${kind} name holds 1 to ${MAX_BYTES} bytes of any characters but " and control characters; received ${JSON.stringify(name)}.`,
  );
}
