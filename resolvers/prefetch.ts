/**
 * Loads ahead the to-one relations a selection asks for on a set of rows, level by level: the same
 * batched statements the fields would run, started together and awaited once, so that each relation
 * field then finds its row already read and resolves without a promise. Only a cache warmer: what it
 * does not recognise (fragments with directives, lists) the fields still load themselves.
 */
import { type FieldNode, type FragmentDefinitionNode, Kind, type SelectionSetNode } from 'graphql';
import type { Row } from '../loaders/load-rows.ts';
import type { GraphModel } from '../schema/graph.ts';
import type { RequestContext } from '../server/context.ts';

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/** The fields of a selection set, through fragments without directives. */
function collectFields(
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
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

function fieldsOf(selectionSet: SelectionSetNode | undefined, fragments: Fragments): readonly FieldNode[] {
  if (!selectionSet) return [];
  let fields = fieldsBySelectionSet.get(selectionSet);
  if (!fields) {
    fields = collectFields(selectionSet, fragments);
    fieldsBySelectionSet.set(selectionSet, fields);
  }
  return fields;
}

export async function prefetchRelations(
  context: RequestContext,
  model: GraphModel,
  rows: readonly Row[],
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
): Promise<void> {
  if (rows.length === 0) return;
  const levels: Array<Promise<void>> = [];
  for (const field of fieldsOf(selectionSet, fragments)) {
    const relation = model.relations.get(field.name.value);
    if (!relation || relation.many) continue;
    const { sourceKey, targetKey } = relation;
    levels.push(
      Promise.all(rows.map((row) => context.loaders.one(targetKey, row[sourceKey.name]))).then((related) =>
        prefetchRelations(
          context,
          relation.target,
          related.filter((row): row is Row => row !== null),
          field.selectionSet,
          fragments,
        ),
      ),
    );
  }
  await Promise.all(levels);
}
