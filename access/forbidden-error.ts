/** The error of something the viewer's access rules refuse. */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../resolvers/errors.ts';

/**
 * A FORBIDDEN field error. It carries no HTTP status: it is raised while a result is being built, so
 * the response has data beside it (other fields, other mutations that went through), and a 403 would
 * tell HTTP clients to throw that data away.
 */
export function forbiddenError(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN, ...extensions } });
}
