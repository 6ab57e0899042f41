/** Relation builders: `hasOne`, `belongsTo`, `hasMany`. All three describe one foreign key; they differ
 * only in which model holds it and whether the answer is one row or many. */
import type { Model } from './model.ts';

/** Which side holds the foreign key and whether the answer is one row or many. */
export type RelationKind = 'hasOne' | 'belongsTo' | 'hasMany';
/** What deleting a referenced row does to the rows that point at it (the foreign key's `ON DELETE`). */
export type OnDelete = 'cascade' | 'set null' | 'restrict';

/**
 * The related model: a thunk (`() => Phone`, so models may be declared in any order) or a registered
 * model's name (`'Phone'`). In a cycle of `const` models TypeScript needs one edge annotated,
 * `(): Model => Phone`, or named.
 */
export type RelationTarget = (() => Model) | string;

interface CommonOptions {
  /** Name of the relation on the other model that is the other side of this same link. */
  inverse?: string;
  /** Column name of a foreign-key field that relgraph creates (neither side declares it). */
  column?: string;
  /** Shown in the GraphQL schema; by default relgraph describes the link. */
  description?: string;
  /** Whether the foreign key may be null. `belongsTo` default `false`; a declared nullable key implies `true`. */
  optional?: boolean;
  /** What deleting the referenced row does: `'cascade'` when required, `'set null'` when optional. */
  onDelete?: OnDelete;
}

export interface HasOptions<TForeignKey extends string = string> extends CommonOptions {
  /** The field on the related model that points here. Default: camelCase model name + primary key (`userId`). */
  foreignKey?: TForeignKey;
  /** The field on this model the foreign key matches. Default: the primary key. */
  localKey?: string;
}

export interface BelongsToOptions<TForeignKey extends string = string> extends CommonOptions {
  /** The field on this model that holds the key. Default: relation name + `Id` (`user` → `userId`). */
  foreignKey?: TForeignKey;
  /** The field on the related model the foreign key matches. Default: its primary key. */
  ownerKey?: string;
  /** Make the link one-to-one (a UNIQUE index on the foreign key) without declaring a `hasOne`. */
  unique?: boolean;
}

/** Every option a relation may carry, whichever builder declared it. */
export type RelationOptions = HasOptions & BelongsToOptions;

export interface Relation<
  TKind extends RelationKind = RelationKind,
  TOptions extends RelationOptions = RelationOptions,
> {
  readonly kind: TKind;
  readonly target: RelationTarget;
  readonly options: TOptions;
}

/** One related row whose foreign key points at this model (`User.phone` → `Phone.userId`). */
export function hasOne<const O extends HasOptions = HasOptions>(
  target: RelationTarget,
  options?: O,
): Relation<'hasOne', O> {
  return { kind: 'hasOne', target, options: options ?? ({} as O) };
}

/** The row this model's foreign key points at (`Phone.user` via `Phone.userId`). */
export function belongsTo<const O extends BelongsToOptions = BelongsToOptions>(
  target: RelationTarget,
  options?: O,
): Relation<'belongsTo', O> {
  return { kind: 'belongsTo', target, options: options ?? ({} as O) };
}

/** The related rows whose foreign key points at this model (`Role.users` → `User.roleId`). */
export function hasMany<const O extends HasOptions = HasOptions>(
  target: RelationTarget,
  options?: O,
): Relation<'hasMany', O> {
  return { kind: 'hasMany', target, options: options ?? ({} as O) };
}
