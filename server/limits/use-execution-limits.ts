/**
 * Yoga plugin: the limits that need the variables — the cost (lists weigh by their page size, which
 * a variable may give), the nesting of input values, the size of filters and the rows a mutation
 * writes — checked before anything runs or compiles. Installed before the plugin that checks
 * variables' types, whose recursion a deeply nested value would overflow.
 */
import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { fragmentsOf } from '../../resolvers/document-fragments.ts';
import { queryTooComplex } from '../../resolvers/errors.ts';
import { type DocumentFilters, documentFilters, filterSize } from './filter-size.ts';
import { deepestVariable, literalDepth } from './input-depth.ts';
import type { QueryLimits } from './limits.ts';
import { operationCost } from './query-cost.ts';
import { writeRows } from './write-rows.ts';

/** The limits on filters: their nodes and their longest list. */
function filterErrors(limits: QueryLimits, filters: DocumentFilters, variables: Record<string, unknown>) {
  const { nodes, longestList } = filterSize(filters, variables);
  const errors: GraphQLError[] = [];
  if (nodes > limits.maxFilterNodes) {
    errors.push(
      queryTooComplex(
        'maxFilterNodes',
        limits.maxFilterNodes,
        'The size of the filters (fields, operators and relation filters set in "where")',
        nodes,
        'Filter with fewer conditions: an "in" list instead of an "or" of "eq", or fewer relation filters.',
      ),
    );
  }
  if (longestList > limits.maxListLength) {
    errors.push(
      queryTooComplex(
        'maxListLength',
        limits.maxListLength,
        'The longest list in a filter ("in", "notIn", "or", "and")',
        longestList,
        'Split the list over several requests.',
      ),
    );
  }
  return errors;
}

/** @param filterTypes the input types of filter arguments (`UserWhere`…), whose size is limited. */
export function useExecutionLimits(
  limits: QueryLimits,
  maxPageSize: number,
  filterTypes: ReadonlySet<string>,
): Plugin {
  // Yoga caches parsed documents, so a document's literals are measured once.
  const literalDepths = new WeakMap<DocumentNode, number>();
  const filtersOf = new WeakMap<DocumentNode, DocumentFilters>();
  const { maxCost, maxInputDepth, maxWriteRows } = limits;
  // An operation without variables costs the same every time.
  const fixedCosts = new WeakMap<OperationDefinitionNode, number>();
  const costOf = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>>,
  ) => {
    const fixed = !operation.variableDefinitions?.length;
    const known = fixed ? fixedCosts.get(operation) : undefined;
    if (known !== undefined) return known;
    const cost = operationCost(schema, operation, fragmentsOf(document), variables, maxPageSize);
    if (fixed) fixedCosts.set(operation, cost);
    return cost;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors: GraphQLError[] = [];
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      let literals = literalDepths.get(args.document);
      if (literals === undefined) {
        literals = literalDepth(args.document);
        literalDepths.set(args.document, literals);
      }
      const deepest = deepestVariable(variables);
      const [subject, depth] =
        deepest.depth > literals
          ? [`The depth of variable "$${deepest.name}"`, deepest.depth]
          : ['The depth of an input value in the document', literals];
      if (depth > maxInputDepth) {
        errors.push(
          queryTooComplex(
            'maxInputDepth',
            maxInputDepth,
            subject,
            depth,
            'Nest filters and inputs less deeply.',
          ),
        );
      }
      if (errors.length === 0) {
        let filters = filtersOf.get(args.document);
        if (filters === undefined) {
          filters = documentFilters(args.schema, args.document, filterTypes);
          filtersOf.set(args.document, filters);
        }
        errors.push(...filterErrors(limits, filters, variables));
      }
      const operation = getOperationAST(args.document, args.operationName);
      if (operation && errors.length === 0) {
        const cost = costOf(args.schema, args.document, operation, variables);
        if (cost > maxCost) {
          errors.push(
            queryTooComplex(
              'maxCost',
              maxCost,
              "The query's cost (the most field values its answer can hold; a list's fields count once per row of its page)",
              cost,
              'Ask for smaller pages with "first"/"last", or for fewer fields under lists.',
            ),
          );
        }
        const rows = writeRows(args.schema, operation, fragmentsOf(args.document), variables);
        if (rows > maxWriteRows) {
          errors.push(
            queryTooComplex(
              'maxWriteRows',
              maxWriteRows,
              'The number of rows the mutation writes (each mutation field and each nested create, connect, connectOrCreate, update, delete or disconnect item)',
              rows,
              'Split the write over several requests.',
            ),
          );
        }
      }
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}
