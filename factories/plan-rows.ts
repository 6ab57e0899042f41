/**
 * The build phase: a blueprint becomes rows in memory, with their related rows and the links between
 * them. Nothing touches the database; keys that only the database assigns are wired when inserting.
 */
import type { Faker } from '@faker-js/faker';
import type { Row } from '../db/prepared-rows.ts';
import { didYouMean } from '../schema/did-you-mean.ts';
import type { GraphLink, GraphModel, GraphPivotRelation, GraphRelation } from '../schema/graph.ts';
import { type Blueprint, blankBlueprint, DEFAULT_SEED, type RowContext, type Values } from './blueprint.ts';
import { FactoryError } from './factory-error.ts';
import { fakeValue } from './fake-values.ts';
import { planPivotRows } from './pivot-rows.ts';
import { createFaker, hashName } from './randomizer.ts';
import { countFor, relationOf } from './relation-requests.ts';
import { nextSequence } from './sequences.ts';
import { type FactoryTarget, graphModelOf, linksHeldBy } from './target.ts';

/** A key a row takes from a parent row: a link's foreign key, or a pivot's key to one side. */
export type ParentKey = Pick<GraphLink, 'foreignKey' | 'referencedKey'>;

/** A row to insert. Its foreign keys to rows of the same call are filled in once those are inserted. */
export interface PlannedRow {
  readonly model: GraphModel;
  readonly values: Values;
  readonly parents: Array<{ readonly link: ParentKey; readonly row: PlannedRow }>;
  /** Rows made for it, by relation name, for the answer (created on the first one: most rows have none). */
  related: Map<string, PlannedRow | PlannedRow[]> | undefined;
  /** The row as the database returned it. */
  inserted: Row | undefined;
}

/** What nested blueprints inherit from the one they are nested in. */
interface Inherited {
  readonly seed: number;
  /** Links whose parents are being made automatically further up, to stop a cycle of required keys. */
  readonly chain: readonly GraphLink[];
}

/** Where the rows of one blueprint come from, relative to the rows around them. */
interface Placement extends Inherited {
  /** The row each new row is a child of through `via` (hasOne/hasMany `.with`), one per new row. */
  readonly parents?: readonly PlannedRow[];
  readonly via?: GraphLink;
  /** Each new row already has one child through this link (it was made as that child's parent). */
  readonly owned?: GraphLink;
}

export class RowPlanner {
  /** Every planned row, in the order made. */
  readonly rows: PlannedRow[] = [];
  private readonly faker: Faker = createFaker();

  constructor(private readonly target: FactoryTarget) {}

  /** Plans `count` rows of the blueprint, with everything it asks for. */
  plan(blueprint: Blueprint, count: number): PlannedRow[] {
    return this.planRows(blueprint, count, { seed: blueprint.seed ?? DEFAULT_SEED, chain: [] });
  }

  private planRows(blueprint: Blueprint, count: number, placement: Placement): PlannedRow[] {
    const model = graphModelOf(this.target.tables, blueprint.model);
    const seed = blueprint.seed ?? placement.seed;
    const held = linksHeldBy(this.target.tables, model);
    const keys = new Set(held.map((link) => link.foreignKey.name));
    const rows: PlannedRow[] = [];
    for (let index = 0; index < count; index++) {
      const parent = placement.parents?.[index];
      const values = this.rowValues(blueprint, model, keys, seed, index, parent);
      const row: PlannedRow = { model, values, parents: [], related: undefined, inserted: undefined };
      if (parent && placement.via) row.parents.push({ link: placement.via, row: parent });
      rows.push(row);
      this.rows.push(row);
    }
    const inherited: Inherited = { seed, chain: placement.chain };
    for (const entry of blueprint.fors.values()) {
      const relation = relationOf(model, entry.relation, 'for');
      checkNotTaken(relation, placement, 'for');
      this.connectParents(relation, entry.parents, rows);
    }
    for (const entry of blueprint.withs.values()) {
      const linked = model.manyToMany.get(entry.relation);
      if (linked) {
        const target = entry.configure(blankBlueprint(linked.target.definition));
        const counts = rows.map((row, index) => countFor(linked, entry.count, row.values, index));
        this.makeLinked(linked, target, rows, counts, inherited);
        continue;
      }
      const relation = relationOf(model, entry.relation, 'with');
      checkNotTaken(relation, placement, 'with');
      const target = entry.configure(blankBlueprint(relation.target.definition));
      const counts = rows.map((row, index) => countFor(relation, entry.count, row.values, index));
      if (relation.kind === 'belongsTo') this.makeParents(relation.link, target, rows, counts, inherited);
      else this.makeChildren(relation, target, rows, counts, inherited);
    }
    for (const link of held) if (!link.optional) this.makeRequiredParents(link, rows, inherited);
    return rows;
  }

  /** Generated values, then the applied states, then the merges: each may read and replace the last. */
  private rowValues(
    blueprint: Blueprint,
    model: GraphModel,
    foreignKeys: ReadonlySet<string>,
    seed: number,
    index: number,
    parent: PlannedRow | undefined,
  ): Values {
    const sequence = nextSequence(model);
    this.faker.seed([seed, hashName(model.name), sequence]);
    const values: Values = {};
    for (const field of model.fields.values()) {
      if (foreignKeys.has(field.name)) continue;
      const value = fakeValue(this.faker, field, sequence);
      if (value !== undefined) values[field.name] = value;
    }
    const context: RowContext = { index, sequence, faker: this.faker, parent: parent?.values };
    for (const name of blueprint.applied) {
      const state = blueprint.states.get(name);
      if (!state) {
        throw new FactoryError(
          `factory(${model.name}).apply("${name}"): no state "${name}" was defined.${didYouMean(name, blueprint.states.keys())} Define it with .state("${name}", row => …).`,
        );
      }
      assignFields(model, values, state(values, context), `.state("${name}")`);
    }
    for (const merge of blueprint.merges) assignFields(model, values, merge(values, context), '.merge()');
    return values;
  }

  /** `.for(relation, rows)`: existing rows, taken in turn. One-to-one links need a row per new row. */
  private connectParents(relation: GraphRelation, parents: readonly Values[], rows: PlannedRow[]) {
    const { link, model, name } = relation;
    if (relation.kind !== 'belongsTo') {
      throw new FactoryError(
        `factory(${model.name}).for("${name}"): "${model.name}.${name}" is a ${relation.kind}; .for() connects a belongsTo to existing rows. Use .with("${name}") to make ${relation.target.name} rows.`,
      );
    }
    if (parents.length === 0)
      throw new FactoryError(
        `factory(${model.name}).for("${name}"): give at least one ${relation.target.name}.`,
      );
    if (link.unique && parents.length < rows.length) {
      throw new FactoryError(
        `factory(${model.name}).for("${name}"): "${model.name}.${name}" is one-to-one, so ${rows.length} ${model.name} rows need ${rows.length} different ${relation.target.name} rows; ${parents.length} were given.`,
      );
    }
    const used = new Set<unknown>();
    for (const [index, row] of rows.entries()) {
      const key = (parents[index % parents.length] as Values)[link.referencedKey.name];
      if (key === undefined || key === null) {
        throw new FactoryError(
          `factory(${model.name}).for("${name}"): a ${relation.target.name} without "${link.referencedKey.name}" was given; pass rows as created (with their keys).`,
        );
      }
      if (link.unique && used.has(String(key))) {
        throw new FactoryError(
          `factory(${model.name}).for("${name}"): ${relation.target.name} ${String(key)} was given twice, but "${model.name}.${name}" is one-to-one.`,
        );
      }
      used.add(String(key));
      row.values[link.foreignKey.name] = key;
    }
  }

  /** `.with(belongsTo)`: a new parent for every row whose count is 1. */
  private makeParents(
    link: GraphLink,
    blueprint: Blueprint,
    rows: PlannedRow[],
    counts: number[],
    inherited: Inherited,
  ) {
    const children = rows.filter((_, index) => counts[index] === 1);
    const parents = this.planRows(blueprint, children.length, { ...inherited, owned: link });
    for (const [index, child] of children.entries()) attachParent(link, child, parents[index] as PlannedRow);
  }

  /** `.with(hasOne | hasMany)`: `counts[i]` new children for row i, their foreign key pointing at it. */
  private makeChildren(
    relation: GraphRelation,
    blueprint: Blueprint,
    rows: PlannedRow[],
    counts: number[],
    inherited: Inherited,
  ) {
    const parents = rows.flatMap((row, index) => Array.from({ length: counts[index] ?? 0 }, () => row));
    const children = this.planRows(blueprint, parents.length, { ...inherited, parents, via: relation.link });
    const byParent = new Map<PlannedRow, PlannedRow[]>(rows.map((row) => [row, []]));
    for (const [index, child] of children.entries()) byParent.get(parents[index] as PlannedRow)?.push(child);
    for (const [row, list] of byParent) {
      if (relation.many) relate(row, relation.name, list);
      else if (list[0]) relate(row, relation.name, list[0]);
    }
  }

  /**
   * `.with(manyToMany)`: `counts[i]` new target rows for row i, and a pivot row linking each pair (its
   * required pivot columns without a default made like any field).
   */
  private makeLinked(
    relation: GraphPivotRelation,
    blueprint: Blueprint,
    rows: PlannedRow[],
    counts: number[],
    inherited: Inherited,
  ) {
    const made = this.planRows(
      blueprint,
      counts.reduce((sum, count) => sum + count, 0),
      inherited,
    );
    const { linked, pivots } = planPivotRows(relation, rows, made, counts, this.faker);
    for (const [index, row] of rows.entries()) relate(row, relation.name, linked[index] ?? []);
    this.rows.push(...pivots);
  }

  /**
   * A required foreign key left unset gets a parent made for it: one per row on a one-to-one link
   * (no parent may have two), otherwise one shared by every row of this part of the call.
   */
  private makeRequiredParents(link: GraphLink, rows: PlannedRow[], inherited: Inherited) {
    const lacking = rows.filter(
      (row) =>
        row.values[link.foreignKey.name] == null && !row.parents.some((parent) => parent.link === link),
    );
    if (lacking.length === 0) return;
    if (inherited.chain.includes(link)) {
      const cycle = [...inherited.chain, link].map((each) => `${each.holder.name}.${each.foreignKey.name}`);
      throw new FactoryError(
        `factory(${link.holder.name}): the required keys ${cycle.join(' → ')} form a cycle, so no row can be made first; give "${link.holder.name}.${link.foreignKey.name}" with .merge() or .for().`,
      );
    }
    const blueprint = blankBlueprint(link.referenced.definition);
    const count = link.unique ? lacking.length : 1;
    const chain = [...inherited.chain, link];
    const parents = this.planRows(blueprint, count, { seed: inherited.seed, chain, owned: link });
    for (const [index, row] of lacking.entries())
      attachParent(link, row, parents[link.unique ? index : 0] as PlannedRow);
  }
}

function attachParent(link: GraphLink, child: PlannedRow, parent: PlannedRow) {
  delete child.values[link.foreignKey.name];
  child.parents.push({ link, row: parent });
  if (link.child) relate(child, link.child.name, parent);
}

function relate(row: PlannedRow, name: string, related: PlannedRow | PlannedRow[]) {
  row.related ??= new Map();
  row.related.set(name, related);
}

/** A row made as a child (or for a one-to-one parent) cannot be given that link again. */
function checkNotTaken(relation: GraphRelation, placement: Placement, method: 'with' | 'for') {
  const { link, model, name } = relation;
  const where = `factory(${model.name}).${method}("${name}")`;
  if (relation.kind === 'belongsTo' && link === placement.via) {
    throw new FactoryError(
      `${where}: these ${model.name} rows are made for a ${link.referenced.name} through this same link, so "${model.name}.${name}" is already set; remove .${method}("${name}").`,
    );
  }
  if (relation.kind !== 'belongsTo' && link === placement.owned && link.unique) {
    throw new FactoryError(
      `${where}: each ${model.name} made here already has its ${link.holder.name}, and "${model.name}.${name}" is one-to-one; remove .${method}("${name}").`,
    );
  }
}

/** Copies a change's fields into the row, refusing names that are not fields of the model. */
function assignFields(model: GraphModel, values: Values, change: Values, where: string) {
  for (const [name, value] of Object.entries(change)) {
    if (!model.fields.has(name)) {
      const relation = model.relations.get(name);
      const hint = relation
        ? ` "${name}" is a relation: use .with("${name}")${relation.kind === 'belongsTo' ? ` or .for("${name}", row), or set "${relation.link.foreignKey.name}"` : ''}.`
        : didYouMean(name, model.fields.keys());
      throw new FactoryError(`factory(${model.name})${where}: ${model.name} has no field "${name}".${hint}`);
    }
    values[name] = value;
  }
}
