/**
 * Yoga plugin: a POST whose body no parser reads (neither JSON nor a GraphQL string) is answered
 * 415 with a JSON error saying what to send; yoga alone answers with an empty body.
 */
import type { Plugin } from 'graphql-yoga';
import { clientError, ErrorCode } from '../../errors.ts';

export function useMediaTypeCheck(): Plugin {
  return {
    onRequestParse({ request, requestParser }) {
      if (request.method !== 'POST' || requestParser) return;
      const received = request.headers.get('content-type');
      throw clientError(
        ErrorCode.BAD_USER_INPUT,
        `A POST body must be application/json (or application/graphql); received content-type ${JSON.stringify(received)}.`,
        { http: { status: 415 } },
      );
    },
  };
}
