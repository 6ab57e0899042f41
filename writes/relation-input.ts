/** The operations a client gives for one relation, checked for shape before anything is written. */

import { inputError } from '../errors.ts';
import type { GraphRelation } from '../schema/graph.ts';

export interface RelationOperations {
  readonly create?: unknown;
  readonly connect?: unknown;
  readonly connectOrCreate?: unknown;
  readonly update?: unknown;
  readonly disconnect?: unknown;
  readonly delete?: unknown;
}

export type OperationName = keyof RelationOperations;

/** The given operations of a to-one relation: exactly one, since each replaces the link. */
export function singleOperation(
  relation: GraphRelation,
  input: unknown,
  path: string,
): [OperationName, unknown] {
  const given = Object.entries((input ?? {}) as RelationOperations).filter(
    ([, value]) => value != null && value !== false,
  );
  const [first, second] = given;
  if (!first || second) {
    const received = given.length === 0 ? 'none' : given.map(([name]) => name).join(' and ');
    throw inputError(
      path,
      `give exactly one operation for ${relation.model.name}.${relation.name} (it links one ${relation.target.name}); received ${received}.`,
    );
  }
  return first as [OperationName, unknown];
}

/** The lists given for a hasMany, each operation possibly empty. */
export function listOperations(input: unknown): Required<{ [K in OperationName]: unknown[] }> {
  const operations = (input ?? {}) as RelationOperations;
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  return {
    delete: list(operations.delete),
    disconnect: list(operations.disconnect),
    update: list(operations.update),
    create: list(operations.create),
    connect: list(operations.connect),
    connectOrCreate: list(operations.connectOrCreate),
  };
}
