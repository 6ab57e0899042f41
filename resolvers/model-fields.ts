/** Field resolvers of a model type: every relation through the request's loaders, and 64-bit keys. */

import { keyOf } from '../db/keys.ts';
import type { Row } from '../db/prepared-rows.ts';
import { forbiddenError } from '../errors.ts';
import { childPage } from '../loaders/child-pages.ts';
import type { RequestContext } from '../loaders/request-context.ts';
import { fieldRules } from '../schema/access-rules.ts';
import type { GraphField, GraphModel, GraphRelation } from '../schema/graph.ts';

type Resolver = (row: Row, args: Record<string, unknown>, context: RequestContext) => unknown;

/**
 * Every relation kind is the same lookup: target rows whose `targetKey` equals this row's `sourceKey`
 * — one row through the unique loader, or a page per parent through a loader keyed by the arguments.
 */
function relationResolver(relation: GraphRelation): Resolver {
  const { sourceKey, targetKey } = relation;
  if (relation.many) return (row, args, context) => childPage(context, relation, row, args);
  return (row, _args, context) => context.loaders.one(targetKey, row[sourceKey.name]);
}

/**
 * A non-null field with an access rule: a row where the rule hides it reads `null` from the database,
 * which the field cannot answer, so it is an error naming the field (its siblings still resolve).
 */
function guardedResolver(model: GraphModel, field: GraphField): Resolver {
  const message = `${model.name}.${field.name} is hidden from you by its access rule; leave it out of the selection.`;
  return (row) => {
    const value = row[field.name];
    if (value === null || value === undefined)
      throw forbiddenError(message, { model: model.name, field: field.name });
    return field.keyType === 'bigint' ? keyOf(value) : value;
  };
}

/** The resolvers of one model type. */
export function modelFieldsOf(model: GraphModel): Record<string, Resolver> {
  const fields: Record<string, Resolver> = {};
  const { access } = model.definition;
  for (const relation of model.relations.values()) fields[relation.name] = relationResolver(relation);
  for (const relation of model.manyToMany.values())
    fields[relation.name] = (row, args, context) => childPage(context, relation, row, args);
  for (const field of model.fields.values()) {
    if (fieldRules(access, field.name).read && !field.nullable)
      fields[field.name] = guardedResolver(model, field);
    // GraphQL's ID and our BigInt scalar carry 64-bit values as strings; JSON has no bigint.
    else if (field.keyType === 'bigint') fields[field.name] = (row) => keyOf(row[field.name]);
  }
  return fields;
}
