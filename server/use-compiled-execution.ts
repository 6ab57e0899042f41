/**
 * Yoga plugin: queries run as code compiled for their document (graphql-jit) instead of being
 * interpreted field by field. Resolvers, loaders and errors are the same; what goes is the executor's
 * per-field bookkeeping, which on a page of 100 rows with three relations is a quarter of the CPU time.
 *
 * - Compiled queries are kept per schema in a bounded least-recently-used map keyed by the document
 *   object (yoga's parse cache hands out one object per query text), so a stream of distinct queries
 *   cannot grow memory.
 * - Variables are checked by graphql-js first, so a bad variable gets graphql-js's message with the
 *   input path, exactly as without compilation; the compiled code then coerces the valid values.
 * - Mutations, subscriptions and documents the compiler refuses take the ordinary executor, and so
 *   do operations with a variable of an input object type: graphql-jit compiles a parser for every
 *   input type a variable can reach, and relgraph's filter and order inputs refer to each other
 *   through relations (`UserWhere.posts` → `PostWhere.author` → `UserWhere`), which it does not
 *   finish compiling. Variables of scalars and enums (ids, page sizes, cursors) are compiled.
 */

import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isInputObjectType,
  type OperationDefinitionNode,
  type SourceLocation,
  typeFromAST,
  type VariableDefinitionNode,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import { BoundedCache } from '../db/bounded-cache.ts';

/** Documents kept compiled per schema. */
export const COMPILED_DOCUMENTS_LIMIT = 500;

/** A compiled operation with its variable definitions, which graphql-js checks before each run. */
interface CompiledOperation {
  readonly query: CompiledQuery['query'];
  readonly variables: readonly VariableDefinitionNode[];
}

type Compiled = CompiledOperation | null;

const bySchema = new WeakMap<GraphQLSchema, BoundedCache<DocumentNode, Map<string, Compiled>>>();

/** The compiled query for this document and operation, or null where the ordinary executor must run. */
function compiledFor(args: ExecutionArgs): Compiled {
  let documents = bySchema.get(args.schema);
  if (!documents) {
    documents = new BoundedCache(COMPILED_DOCUMENTS_LIMIT);
    bySchema.set(args.schema, documents);
  }
  const operations = documents.getOrSet(args.document, () => new Map());
  const name = args.operationName ?? '';
  let compiled = operations.get(name);
  if (compiled === undefined) {
    const operation = getOperationAST(args.document, args.operationName);
    // A name the document lacks is not kept (the executor reports it), so names cannot pile up.
    if (!operation) return null;
    compiled = compile(args, operation);
    operations.set(name, compiled);
  }
  return compiled;
}

/** How many documents are kept compiled for `schema` (at most `COMPILED_DOCUMENTS_LIMIT`). */
export function compiledDocuments(schema: GraphQLSchema): number {
  const documents = [...(bySchema.get(schema)?.values() ?? [])];
  return documents.filter((operations) => [...operations.values()].some(Boolean)).length;
}

function compile(args: ExecutionArgs, operation: OperationDefinitionNode): Compiled {
  if (operation.operation !== 'query') return null;
  const inputObject = operation.variableDefinitions?.some((definition) =>
    isInputObjectType(getNamedType(typeFromAST(args.schema, definition.type))),
  );
  if (inputObject) return null;
  const result = compileQuery(args.schema, args.document, args.operationName ?? undefined, {
    // Yoga serialises the result itself.
    customJSONSerializer: false,
  });
  return isCompiledQuery(result)
    ? { query: result.query, variables: operation.variableDefinitions ?? [] }
    : null;
}

/** The offset in `body` of a 1-based line and column, as graphql-js counts them. */
function positionOf(body: string, { line, column }: SourceLocation): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = body.slice(offset).search(/\r\n|[\n\r]/);
    if (next < 0) break;
    offset += next + (body.startsWith('\r\n', offset + next) ? 2 : 1);
  }
  return offset + column - 1;
}

/**
 * graphql-jit's errors carry `locations` but not the source and positions graphql-js errors have,
 * and yoga rebuilds every error from the latter: rebuilt here as graphql-js errors, the response keeps
 * its locations, exactly as the interpreting executor gives them.
 */
function withLocatedErrors(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  const source = document.loc?.source;
  if (!result.errors?.length || !source) return result;
  const errors = result.errors.map((error) =>
    error.nodes || !error.locations
      ? error
      : new GraphQLError(error.message, {
          source,
          positions: error.locations.map((location) => positionOf(source.body, location)),
          path: error.path,
          originalError: error.originalError,
          extensions: error.extensions,
        }),
  );
  return { ...result, errors };
}

export function useCompiledExecution(): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const compiled = compiledFor(args);
      if (!compiled) return;
      setExecuteFn((execution) => {
        const variables = execution.variableValues ?? {};
        if (compiled.variables.length > 0) {
          const { errors } = getVariableValues(execution.schema, compiled.variables, variables);
          if (errors) return executeFn(execution);
        }
        const result = compiled.query(execution.rootValue, execution.contextValue, variables);
        return result instanceof Promise
          ? result.then((value) => withLocatedErrors(value, execution.document))
          : withLocatedErrors(result, execution.document);
      });
    },
  };
}
