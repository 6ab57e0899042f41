/** The pivot rows a factory plans for `.with(manyToMany)`: one per linked pair, keyed from both rows. */
import type { Faker } from '@faker-js/faker';
import type { GraphPivotRelation } from '../schema/graph.ts';
import type { Values } from './blueprint.ts';
import { fakeValue } from './fake-values.ts';
import type { ParentKey, PlannedRow } from './plan-rows.ts';

/**
 * For each row, `counts[i]` of `made` (in order) are its linked rows: returns them by row, and a pivot
 * row for each pair, its required pivot columns without a default made like any field.
 */
export function planPivotRows(
  relation: GraphPivotRelation,
  rows: readonly PlannedRow[],
  made: readonly PlannedRow[],
  counts: readonly number[],
  faker: Faker,
): { linked: PlannedRow[][]; pivots: PlannedRow[] } {
  const mine: ParentKey = { foreignKey: relation.pivotSourceKey, referencedKey: relation.sourceKey };
  const theirs: ParentKey = { foreignKey: relation.pivotTargetKey, referencedKey: relation.targetKey };
  const required = relation.pivot.columns.filter(
    (field) => !field.nullable && field.defaultValue === undefined,
  );
  const linked: PlannedRow[][] = [];
  const pivots: PlannedRow[] = [];
  let next = 0;
  for (const [index, row] of rows.entries()) {
    const own = made.slice(next, next + (counts[index] ?? 0));
    next += own.length;
    linked.push(own);
    for (const other of own) {
      const values: Values = {};
      for (const field of required) values[field.name] = fakeValue(faker, field, pivots.length);
      const parents = [
        { link: mine, row },
        { link: theirs, row: other },
      ];
      pivots.push({ model: relation.pivot.model, values, parents, related: undefined, inserted: undefined });
    }
  }
  return { linked, pivots };
}
