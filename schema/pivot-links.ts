/**
 * The many-to-many phase of the build: `manyToMany` relations paired into links, each link given its
 * pivot (a table with an `id`, a key to each side and the pivot columns) and its relation objects.
 */

import { keyKind } from './create-links.ts';
import type { Problems } from './definition-error.ts';
import { didYouMean } from './did-you-mean.ts';
import { field } from './field.ts';
import type { GraphField, GraphPivot, GraphPivotRelation, PivotEnd } from './graph.ts';
import type { ManyToMany } from './many-to-many.ts';
import type { Model } from './model.ts';
import { camelCase, pascalCase, snakeCase } from './naming.ts';
import { resolveTarget } from './relation-sides.ts';
import { type DraftModel, resolveModel } from './resolve-fields.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One declared `manyToMany` with its target. */
interface PivotSide {
  readonly model: DraftModel;
  readonly name: string;
  readonly definition: ManyToMany;
  readonly target: DraftModel;
  readonly label: string;
}

function collectSides(models: Map<string, DraftModel>, problems: Problems): PivotSide[] {
  const sides: PivotSide[] = [];
  for (const model of models.values()) {
    for (const [name, definition] of Object.entries(model.definition.relations)) {
      if (definition.kind !== 'manyToMany') continue;
      const target = resolveTarget(model, name, definition, models, problems);
      if (target) sides.push({ model, name, definition, target, label: `${model.name}.${name}` });
    }
  }
  return sides;
}

const quoted = (sides: readonly PivotSide[]) => sides.map((side) => `"${side.label}"`).join(', ');

/**
 * Pairs the sides into links: `inverse` pairs explicitly; otherwise a side pairs with the one
 * `manyToMany` back from its target, and stands alone when there is none. A self link pairs only by
 * `inverse`. Several candidates are ambiguous and reported with the choices.
 */
function pairSides(
  sides: readonly PivotSide[],
  problems: Problems,
): Array<[PivotSide, PivotSide | undefined]> {
  const pairs: Array<[PivotSide, PivotSide | undefined]> = [];
  const paired = new Set<PivotSide>();
  for (const side of sides) {
    const inverse = side.definition.options.inverse;
    if (inverse === undefined || paired.has(side)) continue;
    const other = sides.find((s) => s.model === side.target && s.name === inverse);
    const label = `Relation "${side.label}"`;
    if (!other || other.target !== side.model || other === side) {
      const names = sides
        .filter((s) => s.model === side.target && s.target === side.model)
        .map((s) => s.name);
      problems.add(
        `${label}: inverse "${inverse}" must name another manyToMany of "${side.target.name}" back to "${side.model.name}"; received "${inverse}".${didYouMean(inverse, names)}`,
      );
      paired.add(side);
      continue;
    }
    const otherInverse = other.definition.options.inverse;
    if ((otherInverse !== undefined && otherInverse !== side.name) || paired.has(other)) {
      problems.add(
        `${label}: inverse "${other.label}" is already paired with "${otherInverse}"; make the two name each other.`,
      );
      paired.add(side);
      continue;
    }
    paired.add(side).add(other);
    pairs.push([side, other]);
  }
  const open = sides.filter((side) => !paired.has(side));
  for (const side of open) {
    if (paired.has(side)) continue;
    paired.add(side);
    if (side.target === side.model) {
      pairs.push([side, undefined]);
      continue;
    }
    const back = open.filter((s) => s.model === side.target && s.target === side.model);
    const sameWay = open.filter((s) => s.model === side.model && s.target === side.target);
    if (back.length === 1 && sameWay.length === 1 && back[0]) {
      paired.add(back[0]);
      pairs.push([side, back[0]]);
    } else if (back.length === 0 && sameWay.length === 1) {
      pairs.push([side, undefined]);
    } else {
      for (const s of [...back, ...sameWay]) paired.add(s);
      problems.add(
        `Relations ${quoted([...sameWay, ...back])} link "${side.model.name}" and "${side.target.name}" many-to-many, and which of them are one link is ambiguous; name the other side with inverse on each pair (e.g. inverse: "${back[0]?.name ?? sameWay[0]?.name}"), and give each link its own pivotTable.`,
      );
    }
  }
  return pairs;
}

/** The option either side gives (as seen from `side`), reporting two sides that give different values. */
function agreed(
  side: PivotSide,
  other: PivotSide | undefined,
  mine: keyof ManyToMany['options'],
  theirs: keyof ManyToMany['options'],
  problems: Problems,
) {
  const a = side.definition.options[mine];
  const b = other?.definition.options[theirs];
  if (a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b)) {
    problems.add(
      `Relations "${side.label}" and "${other?.label}" are one link but set ${mine} ${JSON.stringify(a)} and ${theirs} ${JSON.stringify(b)}; set it on one side only.`,
    );
  }
  return a ?? b;
}

function uniqueKey(
  side: PivotSide,
  model: DraftModel,
  name: string | undefined,
  option: string,
  problems: Problems,
) {
  const key = model.fields.get(name ?? model.primaryKey.name);
  if (!key) {
    problems.add(
      `Relation "${side.label}": ${option} "${name}" is not a field of "${model.name}".${didYouMean(String(name), model.fields.keys())}`,
    );
  } else if (!key.unique) {
    problems.add(
      `Relation "${side.label}": ${option} "${model.name}.${key.name}" must be the primary key or a unique field; add unique: true to it, or use the primary key.`,
    );
  }
  return key?.unique ? key : undefined;
}

/** The pivot's field holding `key`: typed like it, required, never unique on its own. */
function pivotKeyField(pivot: DraftModel, name: string, key: GraphField): GraphField {
  return {
    ...key,
    model: pivot.name,
    name,
    column: snakeCase(name),
    kind: keyKind(key),
    idType: undefined,
    nullable: false,
    unique: false,
    primary: false,
    defaultValue: undefined,
    description: `Key of the linked ${key.model} (its ${key.name}).`,
    generated: true,
  };
}

/** `book_tag` → `BookTag`. */
const pivotModelName = (table: string) => table.split('_').map(pascalCase).join('');

function createPivot(
  side: PivotSide,
  other: PivotSide | undefined,
  tables: Map<string, string>,
  problems: Problems,
): GraphPivot | undefined {
  const label = `Relation "${side.label}"`;
  const key = (model: DraftModel, option: 'localKey' | 'relatedKey', theirs: 'localKey' | 'relatedKey') =>
    uniqueKey(
      side,
      model,
      agreed(side, other, option, theirs, problems) as string | undefined,
      option,
      problems,
    );
  const localKey = key(side.model, 'localKey', 'relatedKey');
  const relatedKey = key(side.target, 'relatedKey', 'localKey');
  const table =
    (agreed(side, other, 'pivotTable', 'pivotTable', problems) as string | undefined) ??
    [snakeCase(side.model.name), snakeCase(side.target.name)].sort().join('_');
  const columns = agreed(
    side,
    other,
    'pivotColumns',
    'pivotColumns',
    problems,
  ) as ManyToMany['options']['pivotColumns'];
  const timestamps = agreed(side, other, 'pivotTimestamps', 'pivotTimestamps', problems) === true;
  const localName =
    (agreed(side, other, 'pivotForeignKey', 'pivotRelatedForeignKey', problems) as string | undefined) ??
    camelCase(side.model.name) + pascalCase(localKey?.name ?? '');
  const relatedName =
    (agreed(side, other, 'pivotRelatedForeignKey', 'pivotForeignKey', problems) as string | undefined) ??
    camelCase(side.target.name) + pascalCase(relatedKey?.name ?? '');
  if (!localKey || !relatedKey) return undefined;
  if (localName === relatedName) {
    problems.add(
      `${label}: the pivot keys to "${side.model.name}" and "${side.target.name}" must differ, but both are "${localName}"; set pivotForeignKey and pivotRelatedForeignKey (e.g. "userId" and "friendId").`,
    );
    return undefined;
  }
  const fields = {
    id: field.id(),
    ...columns,
    ...(timestamps && {
      createdAt: field.datetime({ default: 'now' }),
      updatedAt: field.datetime({ default: 'now' }),
    }),
  };
  const description = `One link between a ${side.model.name} and a ${side.target.name} (a row of ${table}).`;
  const definition: Model = {
    name: pivotModelName(table),
    table,
    description,
    fields,
    relations: {},
    access: undefined,
  };
  const pivot = resolveModel(definition, problems);
  if (!pivot) return undefined;
  const owner = tables.get(table);
  if (owner) {
    problems.add(`${label}: pivot table "${table}" is already the table of "${owner}"; set pivotTable.`);
  }
  tables.set(table, side.label);
  const ends = [localKey, relatedKey].map((key, i): PivotEnd => {
    const name = i === 0 ? localName : relatedName;
    if (pivot.fields.has(name)) {
      problems.add(
        `${label}: pivot column "${name}" has the name of the pivot key "${name}"; rename the pivot column.`,
      );
    }
    const pivotKey = pivotKeyField(pivot, name, key);
    pivot.fields.set(name, pivotKey);
    return { model: i === 0 ? side.model : side.target, key, pivotKey };
  }) as [PivotEnd, PivotEnd];
  Object.assign(pivot, { uniqueFields: [pivot.primaryKey] });
  const pivotColumns = [...pivot.fields.values()].filter(
    (f) => !f.primary && !ends.some((end) => end.pivotKey === f),
  );
  return { model: pivot, columns: pivotColumns, ends };
}

function relationOf(
  side: PivotSide,
  pivot: GraphPivot,
  mine: PivotEnd,
  theirs: PivotEnd,
): Mutable<GraphPivotRelation> {
  return {
    model: side.model,
    name: side.name,
    kind: 'manyToMany',
    target: side.target,
    pivot,
    sourceKey: mine.key,
    targetKey: theirs.key,
    pivotSourceKey: mine.pivotKey,
    pivotTargetKey: theirs.pivotKey,
    description: side.definition.options.description,
    inverse: undefined,
  };
}

/**
 * Pairs every `manyToMany` into links and creates their pivots, adding the relations to their models.
 * `tables` holds the table names taken so far (by model), to report a pivot table that clashes.
 */
export function createPivotLinks(models: Map<string, DraftModel>, problems: Problems): GraphPivot[] {
  const tables = new Map([...models.values()].map((model) => [model.table, model.name]));
  const pivots: GraphPivot[] = [];
  for (const [side, other] of pairSides(collectSides(models, problems), problems)) {
    const pivot = createPivot(side, other, tables, problems);
    if (!pivot) continue;
    pivots.push(pivot);
    const [mine, theirs] = pivot.ends;
    const relation = relationOf(side, pivot, mine, theirs);
    side.model.manyToMany.set(side.name, relation);
    if (other) {
      const back = relationOf(other, pivot, theirs, mine);
      relation.inverse = back;
      back.inverse = relation;
      other.model.manyToMany.set(other.name, back);
    }
  }
  return pivots;
}
