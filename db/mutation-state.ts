/**
 * The state of a mutation operation's one transaction, which the request context carries: below the
 * request context (`loaders/`), so the context can hold it without reaching up into `writes/`. What
 * the state means for the answer (fields not run, what was rolled back) is `writes/mutation-transaction.ts`.
 */
import type { Database } from './client.ts';

/** What the fields of one mutation operation share while it runs. */
export interface MutationTransaction {
  /** The operation's transaction: every write and every read of its answer runs in it. */
  readonly tx: Database;
  /** Response keys of the fields written so far, in order (all rolled back if one fails). */
  readonly written: string[];
  /** Response keys of the fields that did not run because an earlier one failed. */
  readonly skipped: string[];
  /** Response key of the field that failed; once set, later fields do not run. */
  failed: string | undefined;
}

/** Starts the shared state of an operation over its transaction: nothing written, skipped or failed. */
export function startMutation(tx: Database): MutationTransaction {
  return { tx, written: [], skipped: [], failed: undefined };
}
