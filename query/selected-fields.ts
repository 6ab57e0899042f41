/**
 * What a query operation reads of each model: the fields it selects anywhere in the document (through
 * fragments, whatever their directives), the keys of the relations it follows, and whether it asks for
 * cursors. Every statement of the request selects exactly these columns of its model (with the keys
 * it matches on), so rows carry only what the response needs, and every row of a model in the
 * request's loaders has the same columns whichever statement read it.
 *
 * Computed once per parsed document and operation (yoga reuses parsed documents).
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  isAbstractType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GraphField, GraphModel, RelationGraph } from '../schema/graph.ts';
import { modelNames, pivotListNames } from '../schema/graphql-names.ts';
import { fragmentsOf } from './document-fragments.ts';

/** What an operation reads of one model. */
export interface ModelSelection {
  /** Field names: selected scalar fields, and each selected relation's key on this model. */
  readonly fields: ReadonlySet<string>;
  /** Whether a cursor of one of its lists is selected (the statement then selects the order values). */
  readonly cursors: boolean;
  /** The fields and the cursor flag as text, for the keys of cached statements. */
  readonly key: string;
}

/** Per model; a model the operation never selects reads only its keys. */
export type SelectedFields = ReadonlyMap<GraphModel, ModelSelection>;

const NOTHING: ModelSelection = { fields: new Set(), cursors: false, key: '' };

/**
 * The part of `selection` (field name to column) that `wanted` asks for, with the primary key and
 * `keys` (what the statement matches rows on); all of it without `wanted`.
 */
export function pickColumns<T>(
  selection: Readonly<Record<string, T>>,
  model: GraphModel,
  wanted: ModelSelection | undefined,
  keys: readonly GraphField[] = [],
): Record<string, T> {
  if (!wanted) return { ...selection };
  const picked: Record<string, T> = {};
  for (const [name, column] of Object.entries(selection))
    if (wanted.fields.has(name) || name === model.primaryKey.name || keys.some((key) => key.name === name))
      picked[name] = column;
  return picked;
}

/** What `selected` says of `model`: undefined (every column) when nothing was worked out. */
export function selectionOf(
  selected: SelectedFields | undefined,
  model: GraphModel,
): ModelSelection | undefined {
  return selected && (selected.get(model) ?? NOTHING);
}

interface Walk {
  readonly schema: GraphQLSchema;
  readonly models: ReadonlyMap<string, GraphModel>;
  /** Connection and edge type names to the model they list. */
  readonly lists: ReadonlyMap<string, GraphModel>;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly fields: Map<GraphModel, Set<string>>;
  readonly cursors: Set<GraphModel>;
}

function fieldsOf(walk: Walk, model: GraphModel): Set<string> {
  let fields = walk.fields.get(model);
  if (!fields) {
    fields = new Set();
    walk.fields.set(model, fields);
  }
  return fields;
}

/** `listed`: the model of the connection being walked (its edges and page info), if any. */
function visit(
  walk: Walk,
  type: GraphQLNamedType | undefined,
  selectionSet: SelectionSetNode,
  listed: GraphModel | undefined,
): void {
  if (!type) return;
  if (isAbstractType(type)) {
    for (const possible of walk.schema.getPossibleTypes(type)) visit(walk, possible, selectionSet, listed);
    return;
  }
  if (!isObjectType(type)) return;
  const model = walk.models.get(type.name);
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition && walk.schema.getType(selection.typeCondition.name.value);
      // A fragment on another object type never applies here.
      if (!condition || condition === type || isAbstractType(condition))
        visit(walk, type, selection.selectionSet, listed);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments.get(selection.name.value);
      const condition = fragment && walk.schema.getType(fragment.typeCondition.name.value);
      if (fragment && (condition === type || isAbstractType(condition)))
        visit(walk, type, fragment.selectionSet, listed);
      continue;
    }
    const name = selection.name.value;
    if (model) {
      if (model.fields.has(name)) fieldsOf(walk, model).add(name);
      const relation = model.relations.get(name) ?? model.manyToMany.get(name);
      if (relation) fieldsOf(walk, model).add(relation.sourceKey.name);
    }
    if (listed && (name === 'cursor' || name === 'startCursor' || name === 'endCursor'))
      walk.cursors.add(listed);
    const definition = type.getFields()[name];
    if (!definition || !selection.selectionSet) continue;
    const target = getNamedType(definition.type);
    // Into a connection or an edge: its model; into a model: none; into page info: the same.
    const next = walk.lists.get(target.name) ?? (walk.models.has(target.name) ? undefined : listed);
    visit(walk, target, selection.selectionSet, next);
  }
}

const byGraph = new WeakMap<RelationGraph, Pick<Walk, 'models' | 'lists'>>();

function namesOf(graph: RelationGraph): Pick<Walk, 'models' | 'lists'> {
  let names = byGraph.get(graph);
  if (!names) {
    const models = new Map<string, GraphModel>();
    const lists = new Map<string, GraphModel>();
    for (const model of graph.models.values()) {
      const { connection, edge } = modelNames(model);
      models.set(model.name, model);
      lists.set(connection, model);
      lists.set(edge, model);
      for (const relation of model.manyToMany.values()) {
        const list = pivotListNames(relation);
        lists.set(list.connection, relation.target);
        lists.set(list.edge, relation.target);
      }
    }
    names = { models, lists };
    byGraph.set(graph, names);
  }
  return names;
}

function selectedFieldsOf(
  schema: GraphQLSchema,
  graph: RelationGraph,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): SelectedFields {
  const fragments = fragmentsOf(document);
  const walk: Walk = { schema, ...namesOf(graph), fragments, fields: new Map(), cursors: new Set() };
  visit(walk, schema.getQueryType() ?? undefined, operation.selectionSet, undefined);
  const selected = new Map<GraphModel, ModelSelection>();
  for (const model of new Set([...walk.fields.keys(), ...walk.cursors])) {
    const fields = walk.fields.get(model) ?? new Set<string>();
    const cursors = walk.cursors.has(model);
    selected.set(model, {
      fields,
      cursors,
      key: `${[...fields].sort().join(',')}${cursors ? ';cursors' : ''}`,
    });
  }
  return selected;
}

const byDocument = new WeakMap<
  RelationGraph,
  WeakMap<DocumentNode, Map<string, SelectedFields | undefined>>
>();

/**
 * What the operation `operationName` of `document` reads, or undefined (every column) for a mutation
 * or a subscription, whose writes and checks may read any column.
 */
export function selectedFields(
  schema: GraphQLSchema,
  graph: RelationGraph,
  document: DocumentNode,
  operationName: string | null | undefined,
): SelectedFields | undefined {
  let documents = byDocument.get(graph);
  if (!documents) {
    documents = new WeakMap();
    byDocument.set(graph, documents);
  }
  let byOperation = documents.get(document);
  if (!byOperation) {
    byOperation = new Map();
    documents.set(document, byOperation);
  }
  const name = operationName ?? '';
  if (byOperation.has(name)) return byOperation.get(name);
  const operation = getOperationAST(document, operationName);
  // A name the document lacks is not kept, so names sent with one document cannot pile up.
  if (!operation) return undefined;
  const selected =
    operation.operation === 'query' ? selectedFieldsOf(schema, graph, document, operation) : undefined;
  byOperation.set(name, selected);
  return selected;
}
