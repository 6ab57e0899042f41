/**
 * What a factory call may ask of a relation (`.with(name, count)`, `.for(name, row)`): the relation it
 * names, and a count its kind allows; a FactoryError naming the call otherwise.
 */
import { didYouMean } from '../schema/did-you-mean.ts';
import type { GraphModel, GraphPivotRelation, GraphRelation } from '../schema/graph.ts';
import type { Count, Values } from './blueprint.ts';
import { FactoryError } from './factory-error.ts';

/** The relation `name` of `model`, for `.with`/`.for` (`method`); a manyToMany is refused with what to use instead. */
export function relationOf(model: GraphModel, name: string, method: string): GraphRelation {
  const relation = model.relations.get(name);
  if (relation) return relation;
  if (model.manyToMany.has(name)) {
    throw new FactoryError(
      `factory(${model.name}).${method}("${name}"): "${model.name}.${name}" is a manyToMany; .${method}() does not link existing rows through it yet. Use .with("${name}", count) to make linked rows, or the "${name}: { attach }" input of update${model.name}.`,
    );
  }
  const known = [...model.relations.keys()];
  throw new FactoryError(
    `factory(${model.name}).${method}("${name}"): ${model.name} has no relation "${name}".${didYouMean(name, known)} Its relations: ${known.join(', ') || 'none'}.`,
  );
}

/** How many rows `.with` makes for the row at `index`: a whole number, at most 1 for a to-one relation. */
export function countFor(
  relation: GraphRelation | GraphPivotRelation,
  count: Count,
  row: Values,
  index: number,
): number {
  const value = typeof count === 'function' ? count(row, index) : count;
  const where = `factory(${relation.model.name}).with("${relation.name}")`;
  if (!Number.isInteger(value) || value < 0) {
    throw new FactoryError(
      `${where}: a count must be a whole number of 0 or more; received ${String(value)}.`,
    );
  }
  if (relation.kind !== 'manyToMany' && !relation.many && value > 1) {
    const one = relation.kind === 'belongsTo' ? 'belongs to one' : 'has at most one (one-to-one)';
    throw new FactoryError(
      `${where}: a ${relation.model.name} ${one} ${relation.target.name}, so the count is 0 or 1; received ${value}.`,
    );
  }
  return value;
}
