/**
 * `factory(User)`: rows for any model, derived from its definition — generated values, overrides,
 * named states, related rows through its relations — inserted with every foreign key wired.
 */
import type { Model, Row } from '../schema/model.ts';
import {
  type Blueprint,
  blankBlueprint,
  type Change,
  type Count,
  type RowContext,
  type Values,
} from './blueprint.ts';
import { FactoryError } from './factory-error.ts';
import { insertPlannedRows, type Progress } from './insert-rows.ts';
import { type PlannedRow, RowPlanner } from './plan-rows.ts';
import { databaseOf, type FactoryTarget } from './target.ts';

type RelationName<M extends Model> = keyof M['relations'] & string;
type KindOf<M extends Model, K extends RelationName<M>> = M['relations'][K]['kind'];
/** The related model of a relation, where its thunk names it (`(): Model => Phone` gives `Model`). */
type TargetOf<M extends Model, K extends RelationName<M>> = M['relations'][K]['target'] extends () => infer T
  ? T extends Model
    ? T
    : Model
  : Model;
/** The belongsTo relations of a model; any name when the model is only known as `Model` (a thunk's type). */
type BelongsToName<M extends Model> =
  string extends RelationName<M>
    ? string
    : { [K in RelationName<M>]: KindOf<M, K> extends 'belongsTo' ? K : never }[RelationName<M>];

/** A created row, with the rows made for it under their relation names (`hasMany`, `manyToMany`: a list). */
export type Created<M extends Model> = Row<M> & {
  [K in RelationName<M>]?: KindOf<M, K> extends 'hasMany' | 'manyToMany'
    ? Row<TargetOf<M, K>>[]
    : Row<TargetOf<M, K>>;
};

/** Changes the factory of a related model: `(phone) => phone.merge({ … })`. */
export type Configure<T extends Model> = (factory: Factory<T>) => Factory<T, string>;

export interface CreateOptions {
  /** Called after each INSERT with the rows inserted so far and the total of the call. */
  onProgress?: Progress;
}

/** An immutable factory: every method returns a new one, so a base factory can be shared. */
export class Factory<M extends Model = Model, S extends string = never> {
  /** What the factory has been told; read when it creates rows. */
  readonly blueprint: Blueprint;

  constructor(blueprint: Blueprint) {
    this.blueprint = blueprint;
  }

  private derive(changes: Partial<Blueprint>): Factory<M, S> {
    return new Factory({ ...this.blueprint, ...changes });
  }

  /** Overrides fields: fixed values, or a function of the row and its context (`sequence`, `index`, `faker`). */
  merge(values: Partial<Row<M>> | ((row: Row<M>, context: RowContext) => Partial<Row<M>>)): Factory<M, S> {
    const change = typeof values === 'function' ? values : () => values;
    return this.derive({ merges: [...this.blueprint.merges, change as unknown as Change] });
  }

  /**
   * Overrides fields row by row: row `i` of this part of the call takes `rows[i]`, starting over after
   * the last (`.sequence({ role: 'admin' }, { role: 'member' })` alternates). A `.merge` in turn.
   */
  sequence(...rows: Array<Partial<Row<M>>>): Factory<M, S> {
    if (rows.length === 0) {
      throw new FactoryError(
        `factory(${this.blueprint.model.name}).sequence(): give at least one row of values.`,
      );
    }
    return this.merge((_, { index }) => rows[index % rows.length] as Partial<Row<M>>);
  }

  /** Defines a named state, applied with `.apply(name)`; the fields it returns replace the row's. */
  state<N extends string>(
    name: N,
    change: (row: Row<M>, context: RowContext) => Partial<Row<M>>,
  ): Factory<M, S | N> {
    const states = new Map(this.blueprint.states).set(name, change as unknown as Change);
    return new Factory({ ...this.blueprint, states });
  }

  /** Applies named states in order, after the generated values and before `.merge`. */
  apply(...names: S[]): Factory<M, S> {
    return this.derive({ applied: [...this.blueprint.applied, ...names] });
  }

  /** The seed every generated value follows (default 1); nested factories inherit it. */
  seed(seed: number): Factory<M, S> {
    if (!Number.isSafeInteger(seed))
      throw new FactoryError(
        `factory(${this.blueprint.model.name}).seed(): the seed must be an integer; received ${seed}.`,
      );
    return this.derive({ seed });
  }

  /**
   * Makes related rows through a relation: `hasMany` `count` per row (default 1), `hasOne` and
   * `belongsTo` 0 or 1 per row. `count` may be a function of the row and its index (then give
   * `configure` too, `(phone) => phone` for none: a lone function is `configure`); `configure` changes
   * the related factory (`(post) => post.with('comments', 2)`). The last `.with` of a relation wins.
   */
  with<K extends RelationName<M>>(relation: K, configure?: Configure<TargetOf<M, K>>): Factory<M, S>;
  with<K extends RelationName<M>>(
    relation: K,
    count: number | ((row: Row<M>, index: number) => number),
    configure?: Configure<TargetOf<M, K>>,
  ): Factory<M, S>;
  with(relation: string, second?: unknown, third?: unknown): Factory<M, S> {
    const lone = typeof second === 'function' && third === undefined;
    const count = lone || second === undefined ? 1 : (second as Count);
    const change = (lone ? second : third) as Configure<Model> | undefined;
    const entry = {
      relation,
      count,
      configure: (blueprint: Blueprint) => (change ? change(new Factory(blueprint)).blueprint : blueprint),
    };
    return this.derive({ withs: new Map(this.blueprint.withs).set(relation, entry) });
  }

  /** Points a `belongsTo` at existing rows (as `create` returned them), taken in turn for the new rows. */
  for<K extends BelongsToName<M>>(relation: K, parents: Values | readonly Values[]): Factory<M, S> {
    const list = Array.isArray(parents) ? parents : [parents as Values];
    return this.derive({ fors: new Map(this.blueprint.fors).set(relation, { relation, parents: list }) });
  }

  /** Creates one row with everything asked for, in one transaction. */
  async create(target: FactoryTarget): Promise<Created<M>> {
    const [row] = await this.createMany(target, 1);
    return row as Created<M>;
  }

  /**
   * Creates `count` rows with everything asked for: all rows in one transaction, one INSERT per
   * table (more only past 65,533 bound values), parents first. Returns the rows in order.
   */
  async createMany(target: FactoryTarget, count: number, options: CreateOptions = {}): Promise<Created<M>[]> {
    const name = this.blueprint.model.name;
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new FactoryError(
        `factory(${name}).createMany(): the count must be a whole number of 0 or more; received ${count}.`,
      );
    }
    const planner = new RowPlanner(target);
    const roots = planner.plan(this.blueprint, count);
    try {
      await insertPlannedRows(databaseOf(target), target.tables, planner.rows, options.onProgress);
    } catch (error) {
      throw insertFailure(name, planner.rows.length, error);
    }
    attachRelated(planner.rows);
    return roots.map((row) => row.inserted as Created<M>);
  }
}

/** A factory for `model`: every field generated from its kind and options, seed 1. */
export function factory<M extends Model>(model: M): Factory<M> {
  return new Factory(blankBlueprint(model));
}

/** Puts the related rows of every row under their relation names, in the rows the database returned. */
function attachRelated(rows: readonly PlannedRow[]): void {
  for (const row of rows) {
    if (!row.related) continue;
    const target = row.inserted as Values;
    for (const [name, related] of row.related) {
      target[name] = Array.isArray(related) ? related.map((each) => each.inserted) : related.inserted;
    }
  }
}

const HINTS: Record<string, string> = {
  '23505':
    ' A value given with .merge() or .state() to a unique field must differ per row (use the sequence), and a one-to-one parent given with .for() must not have that child already.',
  '23503': ' A key given with .merge() or .for() must point at an existing row.',
};

/**
 * The database's own message (a unique value given twice with `.merge`, say), never Drizzle's wrapper,
 * whose text holds the statement and every bound value: thousands of rows of them.
 */
function insertFailure(model: string, rows: number, error: unknown): Error {
  let reason: Error | undefined;
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    reason = cause;
    if (typeof (cause as { code?: unknown }).code === 'string') break;
  }
  const { code, detail } = (reason ?? {}) as { code?: unknown; detail?: unknown };
  const message = (reason?.message ?? String(error)).slice(0, 1000);
  const details = typeof detail === 'string' ? ` (${detail})` : '';
  const hint = typeof code === 'string' ? (HINTS[code] ?? '') : '';
  return new FactoryError(
    `factory(${model}): inserting ${rows} rows failed, and nothing was inserted: ${message}${details}.${hint}`,
    { cause: error },
  );
}
