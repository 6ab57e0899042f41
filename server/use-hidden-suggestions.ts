/**
 * Yoga plugin: no answer says "Did you mean …?". With introspection off the schema is not public,
 * yet graphql-js suggests near names in many messages — fields, arguments (of fields and of
 * directives), input fields, types, enum values ("Did you mean the enum value …?"), from the
 * document and from variables — and each suggestion names a part of the schema. graphql-armor's
 * block-field-suggestions covers only suggestions that start `Did you mean "` and only in
 * validation; this strips every one from every error of every answer, whichever step made it.
 */
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** ` Did you mean "a", "b", or "c"?`, ` Did you mean the enum value "A"?`, … (names hold no `?`). */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

function hideIn(result: ExecutionResult): void {
  for (const error of result.errors ?? []) {
    // Errors are GraphQLError instances, some shared with yoga's validation cache: editing the
    // message in place is harmless, since a second pass finds nothing left to strip.
    if (error.message.includes('Did you mean')) {
      (error as { message: string }).message = error.message.replace(SUGGESTION, '');
    }
  }
}

export function useHiddenSuggestions(): Plugin {
  return {
    onResultProcess({ result }) {
      // A subscription's stream never comes here: relgraph has none.
      if (Array.isArray(result)) for (const item of result) hideIn(item);
      else if (!(Symbol.asyncIterator in result)) hideIn(result as ExecutionResult);
    },
  };
}
