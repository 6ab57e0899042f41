/** What a factory has been told, as plain data: each builder call returns a new blueprint. */
import type { Faker } from '@faker-js/faker';
import type { Model } from '../schema/model.ts';

export type Values = Record<string, unknown>;

/** What `merge` and `state` callbacks receive besides the row. */
export interface RowContext {
  /** Position of the row among the rows this part of the call makes (0-based). */
  readonly index: number;
  /** The row's sequence number for its model: 1, 2, 3, … across calls (see `resumeSequences`). */
  readonly sequence: number;
  /** Seeded for this row: values drawn from it are as repeatable as the generated ones. */
  readonly faker: Faker;
  /** The values of the row this one is made for through `.with` (a `hasOne`/`hasMany` child), if any. */
  readonly parent: Values | undefined;
}

/** A change to a row: the fields it returns replace the row's. */
export type Change = (row: Values, context: RowContext) => Values;

/** Related rows per row: a number, or a function of the row and its index (0 or 1 for one-to-one). */
export type Count = number | ((row: Values, index: number) => number);

export interface WithEntry {
  readonly relation: string;
  readonly count: Count;
  readonly configure: (blueprint: Blueprint) => Blueprint;
}

export interface ForEntry {
  readonly relation: string;
  readonly parents: readonly Values[];
}

export interface Blueprint {
  readonly model: Model;
  /** Unset: the seed of the factory this one is nested in, or `DEFAULT_SEED`. */
  readonly seed: number | undefined;
  readonly states: ReadonlyMap<string, Change>;
  /** Names of the states applied, in order. */
  readonly applied: readonly string[];
  readonly merges: readonly Change[];
  /** By relation name: a later `.with` of the same relation replaces the earlier one. */
  readonly withs: ReadonlyMap<string, WithEntry>;
  readonly fors: ReadonlyMap<string, ForEntry>;
}

/** The seed of a factory that is given none. */
export const DEFAULT_SEED = 1;

export function blankBlueprint(model: Model): Blueprint {
  return {
    model,
    seed: undefined,
    states: new Map(),
    applied: [],
    merges: [],
    withs: new Map(),
    fors: new Map(),
  };
}
