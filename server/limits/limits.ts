/**
 * The limits on what one request may ask for. The defaults suit a public production endpoint and
 * apply in development too, so a query that works on a laptop is not refused in production.
 */
import type { EnvReader } from '../env.ts';

export interface QueryLimits {
  /** Nesting of fields (`users { nodes { id } }` is 3). Default 12: four relation hops through connections. */
  readonly maxDepth: number;
  /** Aliased fields in an operation. Default 15. */
  readonly maxAliases: number;
  /** Lexical tokens of the document, stopped while parsing. Default 2000. */
  readonly maxTokens: number;
  /** Directives in an operation (`@include`, `@skip`). Default 50. */
  readonly maxDirectives: number;
  /**
   * The most field values a response can hold: each field counts 1, and a list's fields count once
   * per row of its page (`first`/`last`, else the largest page), nested lists multiplying. Default 50,000.
   */
  readonly maxCost: number;
  /** Nesting of an input value (`where`, `input`), in the document or in variables. Default 32. */
  readonly maxInputDepth: number;
  /**
   * Rows one mutation may write: each mutation field, and each nested `create`, `connect`,
   * `connectOrCreate`, `update`, `delete` or `disconnect` item, from the document and variables. Default 1,000.
   */
  readonly maxWriteRows: number;
  /**
   * Fields set inside a request's filters (`where`), from the document and variables: each field,
   * operator, `and`/`or`/`not` and relation filter (an `EXISTS`) counts 1. Default 100.
   */
  readonly maxFilterNodes: number;
  /**
   * Items of a list inside a filter (`in`, `notIn`, `or`, `and`). An `in` list is one array
   * parameter, so it may be long; an `or` of empty filters would cost nodes of none. Default 5,000.
   */
  readonly maxListLength: number;
  /** Operations in one batched request (a JSON array). Default 10. */
  readonly maxBatchedOperations: number;
  /** Bytes of a request body; a larger one is answered 413. Default 1 MiB. */
  readonly maxRequestBodyBytes: number;
}

export const defaultLimits: QueryLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 50,
  maxCost: 50_000,
  maxInputDepth: 32,
  maxWriteRows: 1000,
  maxFilterNodes: 100,
  maxListLength: 5000,
  maxBatchedOperations: 10,
  maxRequestBodyBytes: 1024 * 1024,
};

/** Each limit's environment variable. */
export const limitVariables: Record<keyof QueryLimits, string> = {
  maxDepth: 'RELGRAPH_MAX_DEPTH',
  maxAliases: 'RELGRAPH_MAX_ALIASES',
  maxTokens: 'RELGRAPH_MAX_TOKENS',
  maxDirectives: 'RELGRAPH_MAX_DIRECTIVES',
  maxCost: 'RELGRAPH_MAX_COST',
  maxInputDepth: 'RELGRAPH_MAX_INPUT_DEPTH',
  maxWriteRows: 'RELGRAPH_MAX_WRITE_ROWS',
  maxFilterNodes: 'RELGRAPH_MAX_FILTER_NODES',
  maxListLength: 'RELGRAPH_MAX_LIST_LENGTH',
  maxBatchedOperations: 'RELGRAPH_MAX_BATCH',
  maxRequestBodyBytes: 'RELGRAPH_MAX_BODY_BYTES',
};

/** Every limit from `given`, else its environment variable, else its default. */
export function readLimits(env: EnvReader, given: Partial<QueryLimits> = {}): QueryLimits {
  const read = (name: keyof QueryLimits): number => {
    const value = given[name];
    if (value === undefined)
      return env.integer(limitVariables[name], defaultLimits[name], 1, Number.MAX_SAFE_INTEGER);
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer; received ${value}.`);
    }
    return value;
  };
  return {
    maxDepth: read('maxDepth'),
    maxAliases: read('maxAliases'),
    maxTokens: read('maxTokens'),
    maxDirectives: read('maxDirectives'),
    maxCost: read('maxCost'),
    maxInputDepth: read('maxInputDepth'),
    maxWriteRows: read('maxWriteRows'),
    maxFilterNodes: read('maxFilterNodes'),
    maxListLength: read('maxListLength'),
    maxBatchedOperations: read('maxBatchedOperations'),
    maxRequestBodyBytes: read('maxRequestBodyBytes'),
  };
}
