/**
 * `manyToMany(() => Tag, { … })`: rows of two models linked through a pivot table that holds one row
 * per linked pair (Lucid's `manyToMany`, Eloquent's `belongsToMany`).
 */
import type { Field } from './field.ts';
import type { RelationTarget } from './relation.ts';

export interface ManyToManyOptions {
  /** The pivot table. Default: the two models' snake_case names in alphabetical order, `book_tag`. */
  pivotTable?: string;
  /** The pivot's field pointing at this model. Default: camelCase model name + local key, `bookId`. */
  pivotForeignKey?: string;
  /** The pivot's field pointing at the related model. Default: its camelCase name + related key, `tagId`. */
  pivotRelatedForeignKey?: string;
  /** The field of this model the pivot points at (primary key or unique). Default: the primary key. */
  localKey?: string;
  /** The field of the related model the pivot points at (primary key or unique). Default: its primary key. */
  relatedKey?: string;
  /** Columns of the link itself (`{ addedAt: field.datetime({ default: 'now' }) }`). Default: none. */
  pivotColumns?: Record<string, Field>;
  /** Adds `createdAt` and `updatedAt` (default `'now'`) to the pivot. Default: `false`. */
  pivotTimestamps?: boolean;
  /** Name of the `manyToMany` on the related model that is this same link (needed for a self link). */
  inverse?: string;
  /** Shown in the GraphQL schema; by default relgraph describes the link. */
  description?: string;
}

/** A declared many-to-many relation; paired and given its pivot when the graph is built. */
export interface ManyToMany<TOptions extends ManyToManyOptions = ManyToManyOptions> {
  readonly kind: 'manyToMany';
  readonly target: RelationTarget;
  readonly options: TOptions;
}

/** The related rows linked to this row through a pivot table (`Book.tags` through `book_tag`). */
export function manyToMany<const O extends ManyToManyOptions = ManyToManyOptions>(
  target: RelationTarget,
  options?: O,
): ManyToMany<O> {
  return { kind: 'manyToMany', target, options: options ?? ({} as O) };
}
