/**
 * The size of a request's filters (`where` arguments), from the document and from variables: every
 * field set inside a filter is one node (`{ posts: { some: { title: { eq: "t0" } } } }` is 4, its
 * relation filter an `EXISTS` the database runs per row), and the longest list (`in`, `notIn`, `or`,
 * `and`). Measured in one pass without recursion, before anything compiles a filter, so a 1 MB
 * `or` list costs milliseconds to refuse instead of seconds to compile.
 */
import {
  type ArgumentNode,
  type DocumentNode,
  type GraphQLSchema,
  getNamedType,
  Kind,
  TypeInfo,
  type ValueNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/** Nodes and the longest list of some filters. */
export interface FilterSize {
  nodes: number;
  longestList: number;
}

/** What a document's filter literals weigh, and the variables they take (each use listed once per use). */
export interface DocumentFilters {
  readonly literal: FilterSize;
  readonly variables: readonly string[];
}

function measureLiteral(value: ValueNode, size: FilterSize, variables: string[]): void {
  const pending: ValueNode[] = [value];
  while (pending.length > 0) {
    const current = pending.pop() as ValueNode;
    if (current.kind === Kind.VARIABLE) {
      variables.push(current.name.value);
    } else if (current.kind === Kind.LIST) {
      size.longestList = Math.max(size.longestList, current.values.length);
      pending.push(...current.values);
    } else if (current.kind === Kind.OBJECT) {
      for (const field of current.fields) {
        if (field.value.kind === Kind.NULL) continue;
        size.nodes += 1;
        pending.push(field.value);
      }
    }
  }
}

/** Adds a filter given as JSON (a variable's value) to `size`. */
export function measureValue(value: unknown, size: FilterSize): void {
  // Only objects and lists are queued, and keys are read without copying them: this runs on every
  // item of a list of 50,000 filters before it is refused.
  const pending: object[] = value !== null && typeof value === 'object' ? [value] : [];
  while (pending.length > 0) {
    const current = pending.pop() as Record<string, unknown> | unknown[];
    if (Array.isArray(current)) {
      size.longestList = Math.max(size.longestList, current.length);
      for (const item of current) if (item !== null && typeof item === 'object') pending.push(item);
      continue;
    }
    for (const key in current) {
      const item = current[key];
      if (item === null || item === undefined) continue;
      size.nodes += 1;
      if (typeof item === 'object') pending.push(item);
    }
  }
}

/**
 * The filter arguments of a validated document — arguments whose type is one of `filterTypes` — as
 * written (a fragment counts once however often it is spread; aliases bound the repeats).
 */
export function documentFilters(
  schema: GraphQLSchema,
  document: DocumentNode,
  filterTypes: ReadonlySet<string>,
): DocumentFilters {
  const literal: FilterSize = { nodes: 0, longestList: 0 };
  const variables: string[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node: ArgumentNode) {
        const argument = typeInfo.getArgument();
        if (!argument || !filterTypes.has(getNamedType(argument.type).name)) return undefined;
        measureLiteral(node.value, literal, variables);
        return false;
      },
    }),
  );
  return { literal, variables };
}

/** The size of a request's filters: the document's literals plus each variable used in a filter. */
export function filterSize(filters: DocumentFilters, values: Readonly<Record<string, unknown>>): FilterSize {
  const size = { ...filters.literal };
  for (const name of filters.variables) measureValue(values[name], size);
  return size;
}
