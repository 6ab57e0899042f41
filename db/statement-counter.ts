/** Counts the SQL statements of one request, and stops a request that exceeds its budget. */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'drizzle-orm';
import { statementBudgetExceeded } from '../resolvers/errors.ts';
import type { StatementDeadline } from './statement-deadline.ts';

/**
 * Transaction control: node-postgres sends BEGIN, COMMIT and SAVEPOINT through the logger as
 * statements, PGlite does not; they are not counted, so both drivers count the same.
 */
const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release)\b/i;

export const isTransactionControl = (query: string): boolean => TRANSACTION_CONTROL.test(query);

export class StatementCounter implements Logger {
  /** Statements run so far. */
  count = 0;

  /**
   * @param budget statements allowed before the next one fails (default: no limit).
   * @param deadline how long the request's statements may run, and whether its client is still there (default: no limit).
   */
  constructor(
    readonly budget = Number.POSITIVE_INFINITY,
    readonly deadline?: StatementDeadline,
  ) {}

  logQuery(query: string): void {
    if (isTransactionControl(query)) return;
    this.deadline?.check();
    // Thrown before the statement is sent, so a runaway request stops instead of running on.
    if (this.count >= this.budget) throw statementBudgetExceeded(this.budget);
    this.count += 1;
  }
}

/** The counter of the request whose code is running, for statements on a database shared by requests. */
export const statementScope = new AsyncLocalStorage<StatementCounter>();

/** A Drizzle logger that counts each statement for the request running it (nothing outside a request). */
export const scopedStatementLogger: Logger = {
  logQuery(query) {
    statementScope.getStore()?.logQuery(query);
  },
};
