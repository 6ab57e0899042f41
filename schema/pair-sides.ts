/** Third phase: which declared relations are the two sides of one link. */
import type { Problems } from './definition-error.ts';
import { didYouMean } from './did-you-mean.ts';
import type { RelationSide } from './relation-sides.ts';

/** A link to be created: its `belongsTo` side, its `hasOne`/`hasMany` side, or both. */
export interface LinkPlan {
  readonly child: RelationSide | undefined;
  readonly parent: RelationSide | undefined;
  readonly holderName: string;
  readonly foreignKey: string;
  readonly referencedKey: string;
}

const quoted = (sides: readonly RelationSide[]) => sides.map((side) => `"${side.label}"`).join(' and ');

/** Joins two sides into one link, reporting keys that the two sides name differently. */
function join(child: RelationSide, parent: RelationSide, problems: Problems): LinkPlan {
  const pair = quoted([parent, child]);
  if (child.foreignKeyExplicit && parent.foreignKeyExplicit && child.foreignKey !== parent.foreignKey) {
    problems.add(
      `Relations ${pair} are one link but name different foreign keys, "${parent.foreignKey}" and "${child.foreignKey}"; name it on one side only, or make them equal.`,
    );
  }
  if (
    child.referencedKeyExplicit &&
    parent.referencedKeyExplicit &&
    child.referencedKey !== parent.referencedKey
  ) {
    problems.add(
      `Relations ${pair} are one link but "${parent.label}" has localKey "${parent.referencedKey}" and "${child.label}" has ownerKey "${child.referencedKey}"; make them equal.`,
    );
  }
  // The belongsTo side names the column on its own table, so its convention wins when neither is explicit.
  const foreignKey =
    parent.foreignKeyExplicit && !child.foreignKeyExplicit ? parent.foreignKey : child.foreignKey;
  const referencedKey = parent.referencedKeyExplicit ? parent.referencedKey : child.referencedKey;
  return { child, parent, holderName: child.model.name, foreignKey, referencedKey };
}

function single(side: RelationSide): LinkPlan {
  return {
    child: side.isChild ? side : undefined,
    parent: side.isChild ? undefined : side,
    holderName: side.holder.name,
    foreignKey: side.foreignKey,
    referencedKey: side.referencedKey,
  };
}

/** Pairs sides named by `inverse`; returns the pairs and the sides still unpaired. */
function pairByInverse(sides: readonly RelationSide[], problems: Problems) {
  const plans: LinkPlan[] = [];
  const paired = new Set<RelationSide>();
  const find = (model: RelationSide['model'], name: string) =>
    sides.find((s) => s.model === model && s.name === name);
  for (const side of sides) {
    const inverseName = side.definition.options.inverse;
    if (inverseName === undefined || paired.has(side)) continue;
    const label = `Relation "${side.label}"`;
    const other = find(side.target, inverseName);
    if (!other) {
      const names = Object.keys(side.target.definition.relations);
      problems.add(
        `${label}: inverse "${inverseName}" is not a relation of "${side.target.name}".${didYouMean(inverseName, names)}`,
      );
      continue;
    }
    if (other.target !== side.model) {
      problems.add(
        `${label}: inverse "${other.label}" points at "${other.target.name}", not at "${side.model.name}".`,
      );
      continue;
    }
    if (other.isChild === side.isChild) {
      problems.add(
        `${label}: inverse "${other.label}" is a ${other.definition.kind} and so is this one; the two sides of a link are one belongsTo and one hasOne or hasMany.`,
      );
      continue;
    }
    const otherInverse = other.definition.options.inverse;
    if (otherInverse !== undefined && otherInverse !== side.name) {
      problems.add(
        `${label}: inverse "${other.label}" names "${otherInverse}" as its inverse, not "${side.name}"; make them name each other.`,
      );
      continue;
    }
    if (paired.has(other)) {
      problems.add(
        `${label}: "${other.label}" is already the inverse of another relation; a link has one relation on each side.`,
      );
      continue;
    }
    paired.add(side).add(other);
    plans.push(side.isChild ? join(side, other, problems) : join(other, side, problems));
  }
  return { plans, unpaired: sides.filter((side) => !paired.has(side)) };
}

/**
 * Pairs every relation into links. Sides named by `inverse` pair first; the rest pair when they share a
 * foreign key (one `belongsTo` and one `hasOne`/`hasMany`), and stand alone otherwise. More than one
 * link on the same foreign-key field is ambiguous and reported.
 */
export function pairRelationSides(sides: readonly RelationSide[], problems: Problems): LinkPlan[] {
  const { plans, unpaired } = pairByInverse(sides, problems);
  const groups = new Map<string, Array<LinkPlan | RelationSide>>();
  const add = (key: string, unit: LinkPlan | RelationSide) =>
    groups.set(key, [...(groups.get(key) ?? []), unit]);
  for (const plan of plans) add(`${plan.holderName}.${plan.foreignKey}`, plan);
  for (const side of unpaired) add(`${side.holder.name}.${side.foreignKey}`, side);

  const links: LinkPlan[] = [];
  for (const [foreignKey, units] of groups) {
    const [first, second, ...rest] = units;
    if (first && !second) {
      links.push('label' in first ? single(first) : first);
      continue;
    }
    if (first && second && rest.length === 0 && 'label' in first && 'label' in second) {
      const child = first.isChild ? first : second;
      const parent = first.isChild ? second : first;
      if (child.isChild !== parent.isChild && child.target === parent.model) {
        links.push(join(child, parent, problems));
        continue;
      }
    }
    const names = units.flatMap((unit) =>
      'label' in unit ? [unit] : [unit.parent, unit.child].filter((s) => s !== undefined),
    );
    problems.add(
      `Relations ${quoted(names)} all use the foreign key "${foreignKey}", but one foreign key is one link with at most one relation on each model; give each link its own foreignKey, or pair the two sides of one link with inverse.`,
    );
  }
  return links;
}
