/** `buildRelationGraph(models)`: conventions resolved, definitions validated, links paired — once. */

import { checkAccess } from './check-access.ts';
import { createLink } from './create-links.ts';
import { ModelDefinitionError, Problems } from './definition-error.ts';
import type { ForeignKeys, GraphLink, GraphModel, GraphPivot, RelationGraph } from './graph.ts';
import {
  BUILT_IN_TYPES,
  enumTypeName,
  lookupFieldName,
  modelNames,
  pivotListNames,
} from './graphql-names.ts';
import { mutationName, uniqueInputName } from './input-names.ts';
import { listFilterName, orderByName, whereName } from './list-type-defs.ts';
import type { Model } from './model.ts';
import { pairRelationSides } from './pair-sides.ts';
import { createPivotLinks } from './pivot-links.ts';
import { resolveRelationSides } from './relation-sides.ts';
import { type DraftModel, resolveModels } from './resolve-fields.ts';

/** Reports two models (or pivots, or many-to-many lists) that would generate the same GraphQL name. */
function checkGraphqlNames(
  models: Iterable<DraftModel>,
  pivots: readonly GraphPivot[],
  keys: ForeignKeys,
  problems: Problems,
): void {
  const owners = new Map<string, string>(BUILT_IN_TYPES.map((name) => [name, 'relgraph']));
  const claim = (name: string, owner: string) => {
    const previous = owners.get(name);
    if (previous && previous !== owner) {
      problems.add(
        `Model "${owner}" would generate the GraphQL name "${name}", already taken by ${previous === 'relgraph' ? 'relgraph' : `model "${previous}"`}; rename the model.`,
      );
    }
    owners.set(name, owner);
  };
  for (const model of models) {
    const names = modelNames(model);
    const generated = [
      names.type,
      names.connection,
      names.edge,
      whereName(model),
      orderByName(model),
      listFilterName(model),
    ];
    const inputs = [`Create${model.name}Input`, `Update${model.name}Input`, uniqueInputName(model)];
    for (const name of [...generated, ...inputs]) claim(name, model.name);
    for (const relation of model.manyToMany.values()) {
      const list = pivotListNames(relation);
      for (const name of [list.connection, list.edge]) claim(name, model.name);
    }
    for (const verb of ['create', 'update', 'delete'] as const)
      claim(`Mutation.${mutationName(verb, model)}`, model.name);
    for (const name of [names.one, names.list]) claim(`Query.${name}`, model.name);
    for (const field of model.fields.values()) {
      if (field.unique && !field.primary) claim(`Query.${lookupFieldName(model, field)}`, model.name);
      if (field.kind === 'enum' && !keys.has(field)) claim(enumTypeName(model, field), model.name);
    }
  }
  for (const { model } of pivots) {
    const owner = `pivot ${model.table}`;
    for (const name of [model.name, whereName(model), orderByName(model)]) claim(name, owner);
    for (const field of model.fields.values())
      if (field.kind === 'enum' && !keys.has(field)) claim(enumTypeName(model, field), owner);
  }
}

/**
 * Builds the relation graph from model definitions. Throws one `ModelDefinitionError` listing every
 * problem found, each naming the model, relation or field and the fix.
 */
export function buildRelationGraph(definitions: readonly Model[]): RelationGraph {
  const problems = new Problems();
  const models = resolveModels(definitions, problems);
  const sides = resolveRelationSides(models, problems);
  const links: GraphLink[] = [];
  for (const plan of pairRelationSides(sides, problems)) {
    const link = createLink(plan, problems);
    if (link) links.push(link);
  }
  const pivots = createPivotLinks(models, problems);
  const foreignKeys = new Map([
    ...links.map((link) => [link.foreignKey, link.referencedKey] as const),
    ...pivots.flatMap((pivot) => pivot.ends.map((end) => [end.pivotKey, end.key] as const)),
  ]);
  checkGraphqlNames(models.values(), pivots, foreignKeys, problems);
  checkAccess(models.values(), links, problems);
  problems.throwIfAny();
  const finished = new Map<string, GraphModel>();
  for (const model of models.values()) {
    const uniqueFields = [...model.fields.values()].filter((field) => field.unique);
    Object.assign(model, { uniqueFields });
    finished.set(model.name, model);
  }
  return { models: finished, links, pivots, foreignKeys };
}

export { ModelDefinitionError };
