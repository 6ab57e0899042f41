/**
 * Every error on its way to a client passes here (yoga's `maskedErrors.maskError`): errors of
 * relgraph's contract pass, yoga's protocol errors get relgraph's codes, an unreachable database is
 * SERVICE_UNAVAILABLE, a database error the client caused gets its code, and anything else is
 * masked as INTERNAL_SERVER_ERROR with its cause kept on the error (never serialised) for the log.
 */
import { GraphQLError } from 'graphql';
import { isDatabaseUnavailable, isStatementCancelled } from '../db/connection-errors.ts';
import { ErrorCode, serviceUnavailable, statementTimeout } from '../resolvers/errors.ts';
import { type ConstraintIndex, clientErrorOf } from '../resolvers/write/database-errors.ts';
import { redactSecrets } from './redact.ts';

export interface MaskErrorOptions {
  /** Constraint names of the models, to name the rule a database error broke. */
  readonly constraints: ConstraintIndex;
  /** Add the cause (messages and SQLSTATEs, credentials redacted; never a stack) to masked errors. */
  readonly details: boolean;
  /** Strings never to show (the database password). */
  readonly secrets: readonly string[];
  /** The statement timeout, named when a cancelled statement is reported. */
  readonly statementTimeoutMs: number;
}

/** Codes yoga gives to malformed requests (bad JSON, wrong method, missing query…). */
const PROTOCOL_CODES = new Set(['BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE']);

/** Whether every error down the `originalError` chain is a GraphQLError: an error made for the client. */
function madeForClient(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || madeForClient(error.originalError);
}

/** `error`'s message and extensions at `at`'s place in the response (path, locations). */
function placed(error: GraphQLError, at: GraphQLError | undefined, extensions = error.extensions) {
  return new GraphQLError(error.message, {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    originalError: error.originalError,
    extensions,
  });
}

/** A client error in relgraph's terms. */
function inContract(error: GraphQLError, options: MaskErrorOptions): GraphQLError {
  const { code, http } = error.extensions as { code?: string; http?: { status?: number; spec?: boolean } };
  if (code === ErrorCode.QUERY_TOO_COMPLEX && http?.spec) {
    // The token limit is reached while parsing, and yoga marks parse errors for a 200 to
    // `application/json` clients; a limit is 400 for every client.
    return placed(error, error, { ...error.extensions, http: { status: http.status } });
  }
  // A request-level error (no path) without a code is yoga refusing the request ("Must provide
  // query string."); one with a path is graphql-js reporting a resolver's broken promise (a null
  // for a non-null field): a bug, not the client's doing.
  if (code === undefined && error.path !== undefined) return masked(error, error, options);
  if (code === undefined || PROTOCOL_CODES.has(code)) {
    return placed(error, error, { ...error.extensions, code: ErrorCode.BAD_USER_INPUT });
  }
  return error;
}

interface Described {
  message: string;
  code?: string;
  cause?: Described;
}

/** The cause of an error for a developer's eyes, credentials redacted, three causes deep. */
function describe(cause: unknown, secrets: readonly string[], depth = 0): Described {
  const redact = (text: string) => redactSecrets(text, secrets);
  if (!(cause instanceof Error)) return { message: redact(String(cause)) };
  const code = (cause as Error & { code?: unknown }).code;
  return {
    message: redact(cause.message),
    ...(typeof code === 'string' && { code }),
    ...(cause.cause !== undefined && depth < 3 && { cause: describe(cause.cause, secrets, depth + 1) }),
  };
}

function masked(cause: unknown, at: GraphQLError | undefined, options: MaskErrorOptions): GraphQLError {
  return new GraphQLError('Unexpected error.', {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    originalError: cause instanceof Error ? cause : new Error(String(cause)),
    extensions: {
      code: ErrorCode.INTERNAL_SERVER_ERROR,
      ...(options.details && { originalError: describe(cause, options.secrets) }),
    },
  });
}

export function createMaskError(options: MaskErrorOptions): (error: unknown) => Error {
  return (error) => {
    if (madeForClient(error)) return inContract(error, options);
    const at = error instanceof GraphQLError ? error : undefined;
    const cause = at?.originalError ?? error;
    if (isDatabaseUnavailable(cause)) {
      const unavailable = serviceUnavailable();
      return new GraphQLError(unavailable.message, {
        nodes: at?.nodes,
        source: at?.source,
        positions: at?.positions,
        path: at?.path,
        // Kept for the log, which records why the database was unreachable.
        originalError: cause instanceof Error ? cause : undefined,
        extensions: unavailable.extensions,
      });
    }
    // Cancelled by the statement timeout (or its client leaving, when nobody reads the answer).
    if (isStatementCancelled(cause)) return placed(statementTimeout(options.statementTimeoutMs), at);
    const client = clientErrorOf(cause, options.constraints);
    return client ? placed(client, at) : masked(cause, at, options);
  };
}
