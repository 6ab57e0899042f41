/**
 * The cost of an operation: the most field values its response can hold. Every field counts 1; the
 * fields under a list count once per row it can return, which for a connection is its page size —
 * `first`/`last`, else the largest page — so nested lists multiply. Introspection fields (`__…`) are
 * free: they never reach the database.
 */
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type NamedTypeNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

interface CostContext {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly maxPageSize: number;
}

/** `first` or `last` as the request gives it (literal or variable), within 0…maxPageSize; absent: the largest page. */
function pageSize(node: FieldNode, context: CostContext): number {
  for (const argument of node.arguments ?? []) {
    if (argument.name.value !== 'first' && argument.name.value !== 'last') continue;
    const { value } = argument;
    const given =
      value.kind === Kind.INT
        ? Number(value.value)
        : value.kind === Kind.VARIABLE
          ? context.variables[value.name.value]
          : undefined;
    // A value out of range is refused by the list itself with a clearer BAD_USER_INPUT.
    if (typeof given === 'number' && Number.isFinite(given)) {
      return Math.min(Math.max(given, 0), context.maxPageSize);
    }
  }
  return context.maxPageSize;
}

const takesPageArguments = (field: GraphQLField<unknown, unknown>) =>
  field.args.some((argument) => argument.name === 'first' || argument.name === 'last');

function fieldCost(
  parent: GraphQLCompositeType,
  node: FieldNode,
  rows: number,
  context: CostContext,
): number {
  if (node.name.value.startsWith('__')) return 0;
  const field = 'getFields' in parent ? parent.getFields()[node.name.value] : undefined;
  if (!field || !node.selectionSet) return 1;
  const child = getNamedType(field.type);
  if (!isCompositeType(child)) return 1;
  // A connection sets the row count of the lists directly inside it (`nodes`, `edges`).
  const innerRows = takesPageArguments(field) ? pageSize(node, context) : context.maxPageSize;
  const perRow = selectionCost(child, node.selectionSet, innerRows, context);
  return 1 + (isListType(getNullableType(field.type)) ? rows : 1) * perRow;
}

function selectionCost(
  parent: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  rows: number,
  context: CostContext,
): number {
  const typeOf = (condition: NamedTypeNode | undefined) => {
    const type = condition && context.schema.getType(condition.name.value);
    return type && isCompositeType(type) ? type : parent;
  };
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(parent, selection, rows, context);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += selectionCost(typeOf(selection.typeCondition), selection.selectionSet, rows, context);
    } else {
      const fragment = context.fragments.get(selection.name.value);
      if (fragment)
        total += selectionCost(typeOf(fragment.typeCondition), fragment.selectionSet, rows, context);
    }
  }
  return total;
}

/** The cost of a validated operation (fragments cannot cycle, every field exists) with its variables. */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
  maxPageSize: number,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  return selectionCost(root, operation.selectionSet, maxPageSize, {
    schema,
    fragments,
    variables,
    maxPageSize,
  });
}
