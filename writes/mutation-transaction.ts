/**
 * The one transaction of a mutation operation: its fields run in it one after another and commit
 * together or not at all (as Hasura's do), so an answer never hides a write that a later field's
 * failure left committed.
 */
import { GraphQLError } from 'graphql';
import type { MutationTransaction } from '../db/mutation-state.ts';

/** A field that did not run because an earlier one failed; left out of the answer, which names it. */
export class FieldNotRun extends GraphQLError {
  constructor(readonly key: string) {
    super(`"${key}" did not run: an earlier field of the mutation failed.`);
  }
}

const quoted = (keys: readonly string[]) => keys.map((key) => `"${key}"`).join(', ');

/**
 * What an error of a rolled-back operation adds to its message: the fields that were written and
 * rolled back, and those that never ran. Empty when the operation had no other field (nothing to add).
 */
export function rolledBackNote(mutation: MutationTransaction): string {
  const { written, skipped } = mutation;
  if (written.length === 0 && skipped.length === 0) return '';
  const parts = [
    ...(written.length > 0
      ? [`${quoted(written)} ${written.length === 1 ? 'was' : 'were'} rolled back`]
      : []),
    ...(skipped.length > 0 ? [`${quoted(skipped)} did not run`] : []),
  ];
  return ` The whole mutation was rolled back, as its fields commit together or not at all: ${parts.join(' and ')}.`;
}
