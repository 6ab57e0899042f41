/**
 * The size of a mutation: how many rows it may write. Each mutation field is one row, and every
 * nested relation operation — each `create`, `connect`, `connectOrCreate`, `update`, `delete` or
 * `disconnect` item — one more, counted through the input's types in the document and in the
 * variables, before anything runs. A JSON field holding `{ "create": … }` is a value, not a write.
 */
import {
  type FragmentDefinitionNode,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  getNullableType,
  isInputObjectType,
  isListType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

const OPERATIONS = new Set(['create', 'connect', 'connectOrCreate', 'update', 'delete', 'disconnect']);

/** Input types holding only relation operations (`UserPostsCreateInput`); computed once per type. */
const relationInputs = new WeakMap<GraphQLInputObjectType, boolean>();

function isRelationInput(type: GraphQLInputObjectType): boolean {
  let found = relationInputs.get(type);
  if (found === undefined) {
    found = Object.keys(type.getFields()).every((name) => OPERATIONS.has(name));
    relationInputs.set(type, found);
  }
  return found;
}

type Variables = Readonly<Record<string, unknown>>;

/** What a relation operation's value stands for: a list's items, else itself (`true`, an object). */
function itemsOf(value: unknown): unknown[] {
  if (value === null || value === undefined || value === false) return [];
  return Array.isArray(value) ? value : [value];
}

/** The rows the relation operations inside `value` (of input type `type`) write. */
function nestedRows(value: unknown, type: GraphQLInputType): number {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    let total = 0;
    for (const item of itemsOf(value)) total += nestedRows(item, nullable.ofType);
    return total;
  }
  if (!isInputObjectType(nullable) || value === null || typeof value !== 'object') return 0;
  const fields = nullable.getFields();
  const operations = isRelationInput(nullable);
  let total = 0;
  for (const [name, given] of Object.entries(value)) {
    const field = fields[name];
    if (!field) continue;
    if (operations) {
      const items = itemsOf(given);
      const itemType = getNullableType(field.type);
      const of = isListType(itemType) ? itemType.ofType : itemType;
      total += items.length;
      for (const item of items) total += nestedRows(item, of);
    } else {
      total += nestedRows(given, field.type);
    }
  }
  return total;
}

/** The rows the mutation fields of `selectionSet` (on `Mutation`) may write. */
function selectionRows(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables,
): number {
  const fields = schema.getMutationType()?.getFields() ?? {};
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = fields[selection.name.value];
      if (!field) continue;
      total += 1;
      for (const argument of selection.arguments ?? []) {
        const type = field.args.find((candidate) => candidate.name === argument.name.value)?.type;
        // Literals and the variables inside them, as the plain values the resolvers will get.
        if (type) total += nestedRows(valueFromASTUntyped(argument.value, variables), type);
      }
    } else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (fragment) total += selectionRows(schema, fragment.selectionSet, fragments, variables);
    }
  }
  return total;
}

/**
 * The rows a validated operation may write (0 for a query): one per mutation field and one per
 * nested relation operation, from the document and `variables`.
 */
export function writeRows(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables,
): number {
  if (operation.operation !== 'mutation') return 0;
  return selectionRows(schema, operation.selectionSet, fragments, variables);
}
