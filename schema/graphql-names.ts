/** The GraphQL names derived from a model, in one place so the schema and its checks agree. */
import type { GraphField, GraphModel } from './graph.ts';
import { camelCase, pascalCase, plural } from './naming.ts';

export interface ModelNames {
  readonly type: string;
  readonly connection: string;
  readonly edge: string;
  /** `Query.user(id)` */
  readonly one: string;
  /** `Query.users(first, after)` */
  readonly list: string;
}

export function modelNames(model: Pick<GraphModel, 'name'>): ModelNames {
  const one = camelCase(model.name);
  return {
    type: model.name,
    connection: `${model.name}Connection`,
    edge: `${model.name}Edge`,
    one,
    list: plural(one) === one ? `${one}List` : plural(one),
  };
}

/** `BookTagsConnection` and `BookTagsEdge`: a many-to-many list's own types, whose edges carry the pivot. */
export function pivotListNames(relation: { model: Pick<GraphModel, 'name'>; name: string }) {
  const prefix = `${relation.model.name}${pascalCase(relation.name)}`;
  return { connection: `${prefix}Connection`, edge: `${prefix}Edge` };
}

/** `Query.userByEmail(email)` for a unique field other than the primary key. */
export function lookupFieldName(model: Pick<GraphModel, 'name'>, field: GraphField): string {
  return `${camelCase(model.name)}By${pascalCase(field.name)}`;
}

/** `UserStatus` for the enum field `User.status`. */
export function enumTypeName(model: Pick<GraphModel, 'name'>, field: GraphField): string {
  return `${model.name}${pascalCase(field.name)}`;
}

/** Type names relgraph declares itself; no model may take them. */
export const BUILT_IN_TYPES: readonly string[] = [
  'Query',
  'Mutation',
  'Subscription',
  'PageInfo',
  'ID',
  'String',
  'Int',
  'Float',
  'Boolean',
  'DateTime',
  'Date',
  'JSON',
  'BigInt',
  'Decimal',
  'SortOrder',
  ...['ID', 'String', 'Int', 'Float', 'Boolean', 'DateTime', 'Date', 'JSON', 'BigInt', 'Decimal'].map(
    (type) => `${type}Filter`,
  ),
];
