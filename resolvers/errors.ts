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

/**
 * A client-facing error: the message states the rule, then what was received. The HTTP status is
 * the code's own unless `extensions.http` gives one (yoga reads it and leaves it out of the response).
 */
export function clientError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, {
    extensions: { code, ...(status && { http: { status } }), ...extensions },
  });
}

/**
 * A request refused before it runs because it is over a limit: names the limit, its value and what
 * was found. HTTP 400 whatever the media type (`spec: false`: yoga would answer 200 to
 * `application/json` for a validation error), since the client must change the request.
 */
export function queryTooComplex(
  limit: string,
  max: number,
  subject: string,
  found: number,
  advice: string,
): GraphQLError {
  return clientError(
    ErrorCode.QUERY_TOO_COMPLEX,
    `${subject} is ${found.toLocaleString('en-US')}; the limit is ${max.toLocaleString('en-US')} (${limit}). ${advice}`,
    { limit, max, found, http: { status: 400, spec: false } },
  );
}

/** The database cannot be reached: HTTP 503 with `Retry-After`, so clients and proxies retry later. */
export function serviceUnavailable(): GraphQLError {
  return clientError(
    ErrorCode.SERVICE_UNAVAILABLE,
    'The database is unavailable right now; retry the request in a moment.',
    { http: { status: 503, headers: { 'Retry-After': '1' } } },
  );
}

/** Raised from the statement logger when a request would run more statements than its budget. */
export function statementBudgetExceeded(budget: number): GraphQLError {
  return clientError(
    ErrorCode.QUERY_TOO_COMPLEX,
    `This request needs more than ${budget} SQL statements (maxStatementsPerRequest); ask for fewer relations per request, or raise the limit.`,
    { limit: 'maxStatementsPerRequest', max: budget },
  );
}

/**
 * A request whose statement ran past `statementTimeoutMs`, cancelled. QUERY_TOO_COMPLEX with HTTP
 * 400 like the other limits: the same request would run as long again, so the client must ask for
 * less. Not 504 or 503, which proxies and client libraries retry on their own, re-running the work.
 */
export function statementTimeout(timeoutMs: number): GraphQLError {
  return clientError(
    ErrorCode.QUERY_TOO_COMPLEX,
    `A statement may run for ${timeoutMs.toLocaleString('en-US')} ms (statementTimeoutMs); this request's ran longer and was cancelled. Ask for less in one request (narrower filters, smaller pages, fewer relations), or raise the limit.`,
    { limit: 'statementTimeoutMs', max: timeoutMs, http: { status: 400 } },
  );
}

/** The client closed the request before its answer: its statements were cancelled (the answer goes to the log only). */
export function requestClosed(): GraphQLError {
  return clientError(
    ErrorCode.BAD_USER_INPUT,
    'A request is answered only while its client waits; this one was closed first, so its statements were cancelled.',
  );
}
