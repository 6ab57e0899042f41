/** Second phase: each declared relation with its target and its conventional keys filled in. */
import type { Problems } from './definition-error.ts';
import { didYouMean } from './did-you-mean.ts';
import type { Model } from './model.ts';
import { camelCase, pascalCase } from './naming.ts';
import type { Relation } from './relation.ts';
import type { DraftModel } from './resolve-fields.ts';

/** One declared relation: which model holds the foreign key, its name, and the key it matches. */
export interface RelationSide {
  readonly model: DraftModel;
  readonly name: string;
  readonly definition: Relation;
  readonly target: DraftModel;
  /** `model.name` + `.` + `name`, for messages. */
  readonly label: string;
  readonly isChild: boolean;
  /** The model whose table holds the foreign key: this model for `belongsTo`, the target otherwise. */
  readonly holder: DraftModel;
  readonly referenced: DraftModel;
  readonly foreignKey: string;
  readonly foreignKeyExplicit: boolean;
  readonly referencedKey: string;
  readonly referencedKeyExplicit: boolean;
}

/** The registered model a relation points at, or undefined after reporting why there is none. */
export function resolveTarget(
  model: DraftModel,
  name: string,
  relation: Pick<Relation, 'target'>,
  models: Map<string, DraftModel>,
  problems: Problems,
) {
  const label = `Relation "${model.name}.${name}"`;
  if (typeof relation.target === 'string') {
    const target = models.get(relation.target);
    if (!target) {
      problems.add(
        `${label}: target model "${relation.target}" is not registered.${didYouMean(relation.target, models.keys())} Pass it in \`models\`.`,
      );
    }
    return target;
  }
  let definition: Model | undefined;
  try {
    definition = relation.target();
  } catch (error) {
    problems.add(
      `${label}: the target thunk threw "${error instanceof Error ? error.message : String(error)}"; it must return a model.`,
    );
    return undefined;
  }
  if (!definition) {
    problems.add(
      `${label}: the target thunk returned ${String(definition)}; the target model is used before it is defined (check the import cycle).`,
    );
    return undefined;
  }
  const target = models.get(definition.name);
  if (!target) {
    problems.add(
      `${label}: target model "${definition.name}" is not registered; add it to \`models\`.${didYouMean(definition.name, models.keys())}`,
    );
    return undefined;
  }
  if (target.definition !== definition) {
    problems.add(
      `${label}: the target is a model named "${definition.name}" but not the registered one of that name; two models share the name, so register the one the relation uses.`,
    );
    return undefined;
  }
  return target;
}

/** Resolves every relation of every model: its target and its foreign and referenced keys by convention. */
export function resolveRelationSides(models: Map<string, DraftModel>, problems: Problems): RelationSide[] {
  const sides: RelationSide[] = [];
  for (const model of models.values()) {
    for (const [name, definition] of Object.entries(model.definition.relations)) {
      if (definition.kind === 'manyToMany') continue;
      const target = resolveTarget(model, name, definition, models, problems);
      if (!target) continue;
      const isChild = definition.kind === 'belongsTo';
      const referenced = isChild ? target : model;
      const explicitKey = isChild ? definition.options.ownerKey : definition.options.localKey;
      const conventionalKey = isChild
        ? `${name}Id`
        : camelCase(model.name) + pascalCase(model.primaryKey.name);
      sides.push({
        model,
        name,
        definition,
        target,
        label: `${model.name}.${name}`,
        isChild,
        holder: isChild ? model : target,
        referenced,
        foreignKey: definition.options.foreignKey ?? conventionalKey,
        foreignKeyExplicit: definition.options.foreignKey !== undefined,
        referencedKey: explicitKey ?? referenced.primaryKey.name,
        referencedKeyExplicit: explicitKey !== undefined,
      });
    }
  }
  return sides;
}
