/**
 * The yoga plugins of a relgraph server, in the order they must run: the request log first (it
 * times everything and sees every answer), HTTP checks before parsing, query limits before
 * validation and execution, the limits that read variables before the variables are coerced.
 */
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { DatabaseConnection } from '../db/client.ts';
import type { RelationGraph } from '../schema/graph.ts';
import { whereName } from '../schema/list-type-defs.ts';
import type { RequestContext } from './context.ts';
import { useReadiness } from './health.ts';
import { useAcceptCheck } from './http/use-accept-check.ts';
import { useBodyLimit } from './http/use-body-limit.ts';
import { useCors } from './http/use-cors.ts';
import { useCsrfPrevention } from './http/use-csrf-prevention.ts';
import { useMediaTypeCheck } from './http/use-media-type-check.ts';
import { useArmorLimits } from './limits/use-armor-limits.ts';
import { useBatchLimit } from './limits/use-batch-limit.ts';
import { useExecutionLimits } from './limits/use-execution-limits.ts';
import type { Logger } from './logging.ts';
import type { ServerSettings } from './settings.ts';
import { useCompiledExecution } from './use-compiled-execution.ts';
import { useDiagram } from './use-diagram.ts';
import { useHiddenSuggestions } from './use-hidden-suggestions.ts';
import { useInputErrorCodes } from './use-input-error-codes.ts';
import { useMutationTransaction } from './use-mutation-transaction.ts';
import { useRequestLog } from './use-request-log.ts';
import { useSelectedFields } from './use-selected-fields.ts';
import { useSqlStats } from './use-sql-stats.ts';
import { useStatementScope } from './use-statement-scope.ts';

export interface PluginOptions {
  readonly settings: ServerSettings;
  readonly logger: Logger;
  readonly connection: DatabaseConnection;
  readonly graph: RelationGraph;
  /** Whether the server is shutting down (readiness answers 503). */
  readonly draining: () => boolean;
  /** The graph to draw on `GET /diagram`; none, no diagram. */
  readonly diagram: RelationGraph | undefined;
  /** Queries run compiled (graphql-jit). */
  readonly compiledExecution: boolean;
}

/** Without introspection, no error suggests a name of the schema either ("Did you mean …?"). */
const introspectionOff: Plugin[] = [
  {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  },
  useHiddenSuggestions(),
];

export function buildPlugins({
  settings,
  logger,
  connection,
  graph,
  draining,
  diagram,
  compiledExecution,
}: PluginOptions): Array<Plugin | Plugin<RequestContext>> {
  const { limits } = settings;
  return [
    useRequestLog(logger),
    useCors(settings.corsOrigins),
    useReadiness({ connection, timeoutMs: settings.readyTimeoutMs, draining, logger }),
    // After the log and CORS, which see the page too; it is a GET of its own, before the CSRF check.
    ...(diagram ? [useDiagram(diagram, '/graphql')] : []),
    ...(settings.csrfPrevention ? [useCsrfPrevention()] : []),
    useMediaTypeCheck(),
    useAcceptCheck(),
    useBodyLimit(limits.maxRequestBodyBytes),
    useBatchLimit(limits.maxBatchedOperations),
    useArmorLimits(limits),
    ...(settings.introspection ? [] : introspectionOff),
    // Statistics before the checks that stop a request, so they report those requests too.
    ...(settings.sqlStats ? [useSqlStats()] : []),
    useExecutionLimits(limits, settings.maxPageSize, new Set([...graph.models.values()].map(whereName))),
    useInputErrorCodes(),
    useSelectedFields(graph),
    // Before the statement scope, which wraps whichever executor runs.
    ...(compiledExecution ? [useCompiledExecution()] : []),
    // Inside the statement scope, so the statements of a mutation's transaction count for its request.
    useMutationTransaction(),
    // Always: the scope carries the request's statement timeout to its statements, besides their count.
    useStatementScope(),
  ];
}
