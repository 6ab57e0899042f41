/**
 * Loads ahead the relations a selection asks for on a set of rows, level by level: the same batched
 * statements the fields would run, started together and awaited once, so that each relation field
 * then finds its row or its page already read and resolves without a promise. Only a cache warmer:
 * what it does not recognise (fragments with directives, arguments it cannot read) the fields still
 * load themselves, and a failure is left for the field to report.
 */

import {
  type FieldNode,
  type GraphQLResolveInfo,
  getArgumentValues,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { Row } from '../db/prepared-rows.ts';
import type { Page } from '../query/connection-page.ts';
import type { ListArguments } from '../query/page-window.ts';
import type { GraphModel, GraphRelation } from '../schema/graph.ts';
import { childPage } from './child-pages.ts';
import type { RequestContext } from './request-context.ts';

/** What a prefetch reads of the operation: fragments, and the schema and variables for list arguments. */
export type Operation = Pick<GraphQLResolveInfo, 'fragments' | 'schema' | 'variableValues'>;

/** The fields of a selection set, through fragments without directives. */
function collectFields(
  selectionSet: SelectionSetNode | undefined,
  fragments: Operation['fragments'],
  into: FieldNode[] = [],
): FieldNode[] {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.directives?.length) continue;
    if (selection.kind === Kind.FIELD) into.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) collectFields(selection.selectionSet, fragments, into);
    else collectFields(fragments[selection.name.value]?.selectionSet, fragments, into);
  }
  return into;
}

/** Selection sets belong to a parsed document, which yoga reuses: each is walked once. */
const fieldsBySelectionSet = new WeakMap<SelectionSetNode, readonly FieldNode[]>();

function fieldsOf(selectionSet: SelectionSetNode | undefined, fragments: Operation['fragments']) {
  if (!selectionSet) return [];
  let fields = fieldsBySelectionSet.get(selectionSet);
  if (!fields) {
    fields = collectFields(selectionSet, fragments);
    fieldsBySelectionSet.set(selectionSet, fields);
  }
  return fields;
}

/** The parts of a connection that read its page (a list asking only `totalCount` has no page to load). */
const PAGE_FIELDS = new Set(['nodes', 'edges', 'pageInfo']);

/** The arguments of a `hasMany` field as its resolver will get them, or undefined when they cannot be read. */
function listArguments(model: GraphModel, field: FieldNode, operation: Operation): ListArguments | undefined {
  const type = operation.schema.getType(model.name);
  const definition = isObjectType(type) ? type.getFields()[field.name.value] : undefined;
  if (!definition) return undefined;
  try {
    return getArgumentValues(definition, field, operation.variableValues) as ListArguments;
  } catch {
    return undefined;
  }
}

/** Starts the pages of a `hasMany` field for every row: one statement, as the fields would run it. */
function pagesAhead(
  context: RequestContext,
  relation: GraphRelation,
  rows: readonly Row[],
  field: FieldNode,
  operation: Operation,
): Promise<unknown> | undefined {
  if (!fieldsOf(field.selectionSet, operation.fragments).some((part) => PAGE_FIELDS.has(part.name.value)))
    return undefined;
  const args = listArguments(relation.model, field, operation);
  if (!args) return undefined;
  const pages: Array<Page | Promise<Page>> = [];
  try {
    for (const row of rows) pages.push(childPage(context, relation, row, args).page());
  } catch {
    // Arguments the list refuses: its field reports them.
    return undefined;
  }
  const pending = pages.filter((page): page is Promise<Page> => page instanceof Promise);
  // A failed statement is the list field's error to report, not the parent's.
  return pending.length > 0 ? Promise.all(pending).catch(() => undefined) : undefined;
}

/** Loads ahead what `selectionSet` asks of `rows`; undefined when everything is already read. */
export function prefetchRelations(
  context: RequestContext,
  model: GraphModel,
  rows: readonly Row[],
  selectionSet: SelectionSetNode | undefined,
  operation: Operation,
): Promise<unknown> | undefined {
  if (rows.length === 0) return undefined;
  const pending: Array<Promise<unknown>> = [];
  for (const field of fieldsOf(selectionSet, operation.fragments)) {
    const relation = model.relations.get(field.name.value);
    if (!relation) continue;
    if (relation.many) {
      const pages = pagesAhead(context, relation, rows, field, operation);
      if (pages) pending.push(pages);
      continue;
    }
    const { sourceKey, targetKey } = relation;
    const related = rows.map((row) => context.loaders.one(targetKey, row[sourceKey.name]));
    const next = (found: ReadonlyArray<Row | null>) =>
      prefetchRelations(
        context,
        relation.target,
        found.filter((row): row is Row => row !== null),
        field.selectionSet,
        operation,
      );
    if (related.some((row) => row instanceof Promise)) pending.push(Promise.all(related).then(next));
    else {
      const deeper = next(related as Array<Row | null>);
      if (deeper) pending.push(deeper);
    }
  }
  return pending.length > 0 ? Promise.all(pending) : undefined;
}
