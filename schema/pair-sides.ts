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

const foreignKeyOf = (side: RelationSide) => `${side.holder.name}.${side.foreignKey}`;

/**
 * Pairs a `hasOne`/`hasMany` that names neither `foreignKey` nor `column` and whose conventional
 * foreign key nothing uses, with the one `belongsTo` back to its model that nothing else pairs with,
 * whatever keys that `belongsTo` names — the other side Prisma and Drizzle infer. Without this the
 * `hasOne` would create a second foreign key for what is plainly the same link. Several such
 * `belongsTo` are ambiguous and reported with the choices.
 */
function pairByTarget(sides: readonly RelationSide[], problems: Problems) {
  const uses = new Map<string, number>();
  for (const side of sides) uses.set(foreignKeyOf(side), (uses.get(foreignKeyOf(side)) ?? 0) + 1);
  // A side naming `inverse` is paired already or reported; a shared foreign key pairs by that key.
  // So at most one open hasOne/hasMany of a model points at a given model (they share the conventional
  // key), and no belongsTo can be the candidate of two of them.
  const open = (side: RelationSide) =>
    side.definition.options.inverse === undefined && uses.get(foreignKeyOf(side)) === 1;
  const plans: LinkPlan[] = [];
  const paired = new Set<RelationSide>();
  for (const parent of sides) {
    const { foreignKey, column } = parent.definition.options;
    // A declared field named like the conventional key says where the key is, as `foreignKey` would.
    const namesKey =
      foreignKey !== undefined || column !== undefined || parent.holder.fields.has(parent.foreignKey);
    if (parent.isChild || namesKey || !open(parent)) continue;
    const candidates = sides.filter(
      (child) =>
        child.isChild &&
        child.model === parent.target &&
        child.target === parent.model &&
        open(child) &&
        (!parent.referencedKeyExplicit || child.referencedKey === parent.referencedKey),
    );
    const [child, ...others] = candidates;
    if (!child) continue;
    if (others.length > 0) {
      const choices = candidates.map((c) => `"${c.label}" (foreignKey "${c.foreignKey}")`).join(', ');
      problems.add(
        `Relation "${parent.label}": a ${parent.definition.kind} that names no foreignKey pairs with the one belongsTo back to "${parent.model.name}", but "${parent.target.name}" has ${candidates.length}: ${choices}; add inverse: "${child.name}" (or another), or a foreignKey of its own.`,
      );
      continue;
    }
    paired.add(child).add(parent);
    plans.push(join(child, parent, problems));
  }
  return { plans, unpaired: sides.filter((side) => !paired.has(side)) };
}

/**
 * Pairs every relation into links. Sides named by `inverse` pair first; then a `hasOne`/`hasMany`
 * naming no key pairs with the one `belongsTo` back (`pairByTarget`); the rest pair when they share a
 * foreign key (one `belongsTo` and one `hasOne`/`hasMany`), and stand alone otherwise. More than one
 * link on the same foreign-key field is ambiguous and reported.
 */
export function pairRelationSides(sides: readonly RelationSide[], problems: Problems): LinkPlan[] {
  const byInverse = pairByInverse(sides, problems);
  const byTarget = pairByTarget(byInverse.unpaired, problems);
  const plans = [...byInverse.plans, ...byTarget.plans];
  const unpaired = byTarget.unpaired;
  const groups = new Map<string, Array<LinkPlan | RelationSide>>();
  const add = (key: string, unit: LinkPlan | RelationSide) =>
    groups.set(key, [...(groups.get(key) ?? []), unit]);
  for (const plan of plans) add(`${plan.holderName}.${plan.foreignKey}`, plan);
  for (const side of unpaired) add(foreignKeyOf(side), side);

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
