/** The fragment definitions of a parsed document by name, found once per document (yoga reuses parsed documents). */
import { type DocumentNode, type FragmentDefinitionNode, Kind } from 'graphql';

const byDocument = new WeakMap<DocumentNode, ReadonlyMap<string, FragmentDefinitionNode>>();

export function fragmentsOf(document: DocumentNode): ReadonlyMap<string, FragmentDefinitionNode> {
  let fragments = byDocument.get(document);
  if (!fragments) {
    const found = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) found.set(definition.name.value, definition);
    fragments = found;
    byDocument.set(document, fragments);
  }
  return fragments;
}
