/** Every error a client can see, with the stable `extensions.code` values of the public contract. */
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  CONSTRAINT: 'CONSTRAINT',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  SERVICE_UNAVAILABLE: 503,
};

/** A client-facing error: the message states the rule, then what was received. */
export function clientError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, {
    extensions: { code, ...extensions, ...(status && { http: { status } }) },
  });
}

/** Raised from the statement logger when a request would run more statements than its budget. */
export function statementBudgetExceeded(budget: number): GraphQLError {
  return clientError(
    ErrorCode.QUERY_TOO_COMPLEX,
    `This request needs more than ${budget} SQL statements (maxStatementsPerRequest); ask for fewer relations per request, or raise the limit.`,
    { limit: 'maxStatementsPerRequest', max: budget },
  );
}
