/** The error of a request whose credentials do not verify: UNAUTHENTICATED, HTTP 401. */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../resolvers/errors.ts';

/** For `authenticate` functions: the request is refused before anything runs, with this message. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      // RFC 6750: the scheme the client must use, and that the token it sent was not accepted.
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
    },
  });
}
