/**
 * Yoga plugin: one log line per request — id, operation, duration, SQL statements, HTTP status and
 * outcome — and one error line per unexpected error with its cause, which the client never sees.
 * The request id comes from a well-formed `x-request-id` header or is made here, and is sent back
 * in `x-request-id` so a client's report can be found in the log.
 */
import { randomUUID } from 'node:crypto';
import { type ExecutionResult, type GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';
import type { RequestContext } from '../loaders/request-context.ts';
import type { Logger } from './logging.ts';

interface RequestRecord {
  readonly id: string;
  readonly started: number;
  /** Operation names (or `query`/`mutation` when anonymous), several for a batch. */
  readonly operations: string[];
  statements: number;
  readonly codes: Set<string>;
}

const GIVEN_ID = /^[\w.:/=+-]{1,128}$/;
/** Probes come every few seconds: their lines are debug, not info. */
const PROBES = new Set(['/health', '/ready']);

function outcomeOf(status: number, codes: ReadonlySet<string>): string {
  if (
    status >= 500 ||
    codes.has(ErrorCode.INTERNAL_SERVER_ERROR) ||
    codes.has(ErrorCode.SERVICE_UNAVAILABLE)
  ) {
    return 'server_error';
  }
  return status >= 400 || codes.size > 0 ? 'client_error' : 'ok';
}

function errorsOf(result: unknown): readonly GraphQLError[] {
  if (result === null || typeof result !== 'object' || Symbol.asyncIterator in result) return [];
  const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
  return results.flatMap((one) => one.errors ?? []);
}

export function useRequestLog(logger: Logger): Plugin<RequestContext> {
  const records = new WeakMap<Request, RequestRecord>();
  return {
    onRequest({ request }) {
      const given = request.headers.get('x-request-id');
      records.set(request, {
        id: given && GIVEN_ID.test(given) ? given : randomUUID(),
        started: performance.now(),
        operations: [],
        statements: 0,
        codes: new Set(),
      });
    },
    onValidate({ context, params }) {
      const { request, params: graphqlParams } = context as {
        request?: Request;
        params?: { operationName?: string };
      };
      const operation = getOperationAST(params.documentAST, graphqlParams?.operationName);
      if (request && operation)
        records.get(request)?.operations.push(operation.name?.value ?? operation.operation);
    },
    onExecute({ args }) {
      const context = args.contextValue as RequestContext & { request?: Request };
      const record = context.request && records.get(context.request);
      return {
        onExecuteDone() {
          if (record) record.statements += context.statements.count;
        },
      };
    },
    onResultProcess({ request, result }) {
      const record = records.get(request);
      if (!record) return;
      for (const error of errorsOf(result)) {
        const code = String(error.extensions?.code ?? 'NONE');
        record.codes.add(code);
        if (code !== ErrorCode.INTERNAL_SERVER_ERROR && code !== ErrorCode.SERVICE_UNAVAILABLE) continue;
        const fields = {
          reqId: record.id,
          operation: record.operations.join(',') || undefined,
          path: error.path?.join('.'),
          err: error.originalError ?? error,
        };
        if (code === ErrorCode.INTERNAL_SERVER_ERROR) logger.error(fields, 'unexpected error');
        else logger.warn(fields, 'database unavailable');
      }
    },
    onResponse({ request, response }) {
      const record = records.get(request);
      if (!record) return;
      response.headers.set('x-request-id', record.id);
      // Probes log at debug, the rest at info: below info, nothing is written.
      if (!logger.isLevelEnabled('info')) return;
      const path = new URL(request.url, 'http://localhost').pathname;
      const line = {
        reqId: record.id,
        method: request.method,
        path,
        status: response.status,
        operation: record.operations.join(',') || undefined,
        durationMs: Math.round((performance.now() - record.started) * 10) / 10,
        statements: record.statements,
        outcome: outcomeOf(response.status, record.codes),
        ...(record.codes.size > 0 && { errors: [...record.codes] }),
      };
      if (PROBES.has(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    },
  };
}
