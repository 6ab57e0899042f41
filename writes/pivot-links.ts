/**
 * The links of a `manyToMany` written in the mutation's transaction: `detach`, `sync`, `attach`,
 * `create`, `connectOrCreate` and `updatePivot`, in that order. The pivot's UNIQUE pair decides a link that exists: an
 * attach inserts `on conflict do nothing`, so of two concurrent attaches of one pair exactly one lands
 * and the other is a CONFLICT naming both rows.
 */
import { and, eq, not, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { arrayCastOf } from '../db/keys.ts';
import type { Row } from '../db/prepared-rows.ts';
import { clientError, ErrorCode, inputError, notFound } from '../errors.ts';
import type { GraphPivotRelation } from '../schema/graph.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { connectOrCreate } from './connect-or-create.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { createRows } from './create-rows.ts';
import { uniqueKeyOf, uniqueTarget } from './find-unique.ts';
import { fieldValues, type Values } from './input-values.ts';
import { tableOf, type WriteContext } from './write-context.ts';

interface LinkOperations {
  readonly detach?: readonly Values[] | null;
  readonly sync?: readonly Values[] | null;
  readonly attach?: readonly Values[] | null;
  readonly create?: ReadonlyArray<{ data: Values; pivot?: Values | null }> | null;
  readonly connectOrCreate?: ReadonlyArray<{ where: Values; create: Values; pivot?: Values | null }> | null;
  readonly updatePivot?: ReadonlyArray<{ where: Values; pivot: Values }> | null;
}

/** One target row a link operation names: its key, and how to name it in messages (`with id "7"`). */
interface Linked {
  readonly key: unknown;
  readonly description: string;
}

class LinkWriter {
  readonly #pivot;
  readonly #target;
  readonly #source: SQL;
  readonly #parent: string;

  constructor(
    private readonly context: WriteContext,
    private readonly relation: GraphPivotRelation,
    private readonly row: Row,
  ) {
    this.#pivot = tableOf(context, relation.pivot.model);
    this.#target = tableOf(context, relation.target);
    const { model, sourceKey } = relation;
    this.#source = eq(this.#column(relation.pivotSourceKey.name), row[sourceKey.name]);
    this.#parent = `${model.name} with ${sourceKey.name} "${String(row[sourceKey.name])}"`;
  }

  #column(name: string): AnyPgColumn {
    return this.#pivot.columns[name] as AnyPgColumn;
  }

  #ofTarget(key: unknown): SQL {
    return and(this.#source, eq(this.#column(this.relation.pivotTargetKey.name), key)) as SQL;
  }

  /** The target row `where` names, if the viewer may read it: a row it may not read is NOT_FOUND. */
  async find(where: Values, path: string): Promise<Linked> {
    const { relation, context } = this;
    const { condition, description } = uniqueTarget(context, relation.target, where, path);
    const keyColumn = this.#target.columns[relation.targetKey.name] as AnyPgColumn;
    const [found] = await context.tx
      .select({ key: keyColumn })
      .from(this.#target.table)
      .where(condition)
      .limit(1);
    if (!found) throw notFound(path, relation.target, description);
    return { key: found.key, description };
  }

  /** The pivot column values given, every required one present when a link is added. */
  values(given: Values | null | undefined, path: string, adding: boolean): Values {
    const shape = { model: this.relation.pivot.model, mode: 'create' as const, via: undefined };
    const values = fieldValues(this.context, shape, given ?? {}, path);
    if (adding) {
      for (const field of this.relation.pivot.columns) {
        if (!field.nullable && field.defaultValue === undefined && values[field.name] === undefined)
          throw inputError(path, `the link needs pivot column "${field.name}"; give it in pivot.`);
      }
    }
    return values;
  }

  #row(key: unknown, values: Values): Values {
    const { relation } = this;
    return {
      ...values,
      [relation.pivotSourceKey.name]: this.row[relation.sourceKey.name],
      [relation.pivotTargetKey.name]: key,
    };
  }

  async attach(linked: Linked, values: Values, path: string): Promise<void> {
    const inserted = await this.context.tx
      .insert(this.#pivot.table)
      .values(this.#row(linked.key, values))
      .onConflictDoNothing()
      .returning({ id: this.#column('id') });
    if (inserted.length === 0) {
      throw clientError(
        ErrorCode.CONFLICT,
        `${path}: ${this.#parent} is already linked to ${this.relation.target.name} ${linked.description} (a row of ${this.relation.pivot.model.table}); a link exists at most once — use updatePivot to change it.`,
        { path, model: this.relation.model.name, relation: this.relation.name },
      );
    }
  }

  /** A link that a detach or an update did not find is NOT_FOUND. */
  #found(rows: readonly unknown[], linked: Linked, path: string): void {
    const { target, model } = this.relation;
    if (rows.length === 0) throw notFound(path, target, `${linked.description} linked to this ${model.name}`);
  }

  async detach(linked: Linked, path: string): Promise<void> {
    const deleted = await this.context.tx
      .delete(this.#pivot.table)
      .where(this.#ofTarget(linked.key))
      .returning({ id: this.#column('id') });
    this.#found(deleted, linked, path);
  }

  /** Leaves exactly `links`: deletes the others, adds the missing ones, sets the pivot values given. */
  async sync(links: ReadonlyArray<{ linked: Linked; values: Values; given: boolean }>): Promise<void> {
    const { context, relation } = this;
    const keys = links.map(({ linked }) => linked.key);
    const targetColumn = this.#column(relation.pivotTargetKey.name);
    const kept = sql`${targetColumn} = any(${sql.param(keys)}::${sql.raw(arrayCastOf(relation.pivotTargetKey))})`;
    await context.tx.delete(this.#pivot.table).where(and(this.#source, not(kept)));
    for (const { linked, values, given } of links) {
      const insert = context.tx.insert(this.#pivot.table).values(this.#row(linked.key, values));
      const target = [this.#column(relation.pivotSourceKey.name), targetColumn];
      await (given && Object.keys(values).length > 0
        ? insert.onConflictDoUpdate({ target, set: values })
        : insert.onConflictDoNothing());
    }
  }

  async updatePivot(linked: Linked, values: Values, path: string): Promise<void> {
    const updated = await this.context.tx
      .update(this.#pivot.table)
      .set(values)
      .where(this.#ofTarget(linked.key))
      .returning({ id: this.#column('id') });
    this.#found(updated, linked, path);
  }
}

/** Splits an attach item into the target's unique field and the pivot values. */
const attachItem = (item: Values) => {
  const { pivot, ...where } = item;
  return { where, pivot: pivot as Values | null | undefined };
};

/** Writes the link operations given for `relation` on the row `row`, at `path` of the input. */
export async function writePivotLinks(
  context: WriteContext,
  relation: GraphPivotRelation,
  row: Row,
  input: unknown,
  path: string,
): Promise<void> {
  const operations = (input ?? {}) as LinkOperations;
  const writer = new LinkWriter(context, relation, row);
  for (const [i, where] of (operations.detach ?? []).entries()) {
    const at = `${path}.detach[${i}]`;
    await writer.detach(await writer.find(where, at), at);
  }
  if (operations.sync) {
    const links = [];
    for (const [i, item] of operations.sync.entries()) {
      const at = `${path}.sync[${i}]`;
      const { where, pivot } = attachItem(item);
      const linked = await writer.find(where, at);
      links.push({ linked, values: writer.values(pivot, `${at}.pivot`, true), given: pivot != null });
    }
    await writer.sync(links);
  }
  for (const [i, item] of (operations.attach ?? []).entries()) {
    const at = `${path}.attach[${i}]`;
    const { where, pivot } = attachItem(item);
    const linked = await writer.find(where, at);
    await writer.attach(linked, writer.values(pivot, `${at}.pivot`, true), at);
  }
  const creates = operations.create ?? [];
  if (creates.length > 0) {
    const shape = { model: relation.target, mode: 'create' as const, via: undefined };
    const items = creates.map((item, i) => ({ input: item.data, path: `${path}.create[${i}].data` }));
    const rows = await createRows(context, shape, items);
    for (const [i, created] of rows.entries()) {
      const at = `${path}.create[${i}]`;
      const linked = { key: created[relation.targetKey.name], description: `created at ${at}` };
      await writer.attach(linked, writer.values(creates[i]?.pivot, `${at}.pivot`, true), at);
    }
  }
  for (const [i, item] of (operations.connectOrCreate ?? []).entries()) {
    const at = `${path}.connectOrCreate[${i}]`;
    const target = { target: relation.target, link: undefined };
    const row = await connectOrCreate(context, target, item, at, {});
    const { field, key } = uniqueKeyOf(relation.target, item.where, `${at}.where`);
    const linked = { key: row[relation.targetKey.name], description: `with ${field.name} "${key}"` };
    await writer.attach(linked, writer.values(item.pivot, `${at}.pivot`, true), at);
  }
  for (const [i, { where, pivot }] of (operations.updatePivot ?? []).entries()) {
    const at = `${path}.updatePivot[${i}]`;
    await writer.updatePivot(
      await writer.find(where, `${at}.where`),
      writer.values(pivot, `${at}.pivot`, false),
      at,
    );
  }
}
