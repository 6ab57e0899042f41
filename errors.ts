/**
 * Every error a client can see, with the stable `extensions.code` values of the public contract: the
 * one place client-facing errors are built (Lucid's `errors.ts` habit), so a code and its HTTP status
 * are decided here and nowhere else.
 */
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

/**
 * A client-facing error: the message states the rule, then what was received. No HTTP status unless
 * `extensions.http` gives one (yoga reads it and leaves it out of the response): a field error sits
 * beside data, which a non-200 status would tell HTTP clients to throw away.
 */
export function clientError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** For `authenticate` functions: the request is refused before anything runs, with this message. */
export function unauthenticated(message: string): GraphQLError {
  return clientError(ErrorCode.UNAUTHENTICATED, message, {
    // RFC 6750: the scheme the client must use, and that the token it sent was not accepted.
    http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
  });
}

/**
 * A FORBIDDEN field error. It carries no HTTP status: it is raised while a result is being built, so
 * the response has data beside it (other fields, other mutations that went through), and a 403 would
 * tell HTTP clients to throw that data away.
 */
export function forbiddenError(message: string, extensions: Record<string, unknown>): GraphQLError {
  return clientError(ErrorCode.FORBIDDEN, message, extensions);
}

/** A BAD_USER_INPUT that names where in the input the problem is (`input.phone.create.number`). */
export function inputError(path: string, message: string): GraphQLError {
  return clientError(ErrorCode.BAD_USER_INPUT, `${path}: ${message}`, { path });
}

/** A NOT_FOUND for a row a write refers to; `what` says how it was looked for (`with id "7"`). */
export function notFound(path: string, model: { readonly name: string }, what: string): GraphQLError {
  return clientError(ErrorCode.NOT_FOUND, `${path}: no ${model.name} ${what}.`, { path, model: model.name });
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
