/**
 * Yoga plugin: a batched request (a JSON array of operations) holds at least one operation and at
 * most `maxBatchedOperations`. Runs before yoga's own batching check, whose error has no code of ours.
 */
import type { Plugin } from 'graphql-yoga';
import { clientError, ErrorCode, queryTooComplex } from '../../errors.ts';

export function useBatchLimit(maxBatchedOperations: number): Plugin {
  return {
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (!Array.isArray(requestParserResult)) return;
          if (requestParserResult.length === 0) {
            throw clientError(
              ErrorCode.BAD_USER_INPUT,
              'A batched request is a list of operations; received an empty list.',
              { http: { status: 400 } },
            );
          }
          if (requestParserResult.length > maxBatchedOperations) {
            throw queryTooComplex(
              'maxBatchedOperations',
              maxBatchedOperations,
              'The number of operations in the batch',
              requestParserResult.length,
              'Send them in several requests.',
            );
          }
        },
      };
    },
  };
}
