/** A Drizzle logger recording each statement's table and bound values, to pin how inserts are split. */
import type { Logger } from 'drizzle-orm';
import { isTransactionControl } from '../../db/statement-counter.ts';

/** Every statement's table (its first words if it is no INSERT) and number of bound values. */
export class StatementLog implements Logger {
  readonly statements: Array<{ table: string; values: number }> = [];
  logQuery(query: string, params: unknown[]): void {
    // BEGIN and COMMIT reach the logger on node-postgres only.
    if (isTransactionControl(query)) return;
    const table = /^insert into "(\w+)"/.exec(query)?.[1] ?? query.slice(0, 30);
    this.statements.push({ table, values: params.length });
  }
}
