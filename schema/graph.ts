/** The relation graph: models with resolved columns and links. Every later stage reads only this. */
import type { FieldKind, IdType } from './field.ts';
import type { Model } from './model.ts';
import type { OnDelete, RelationKind } from './relation.ts';

/**
 * How values of a field compare as keys. Two fields can be linked only when their key types are equal.
 * `uuid` ids and `uuid` fields share `uuid`; `string` and `text` share `text`.
 */
export type KeyType =
  | 'integer'
  | 'bigint'
  | 'uuid'
  | 'text'
  | Exclude<FieldKind, 'id' | 'int' | 'string' | 'uuid'>;

export interface GraphField {
  readonly model: string;
  readonly name: string;
  readonly column: string;
  readonly kind: FieldKind;
  readonly idType: IdType | undefined;
  readonly keyType: KeyType;
  readonly nullable: boolean;
  readonly unique: boolean;
  readonly primary: boolean;
  readonly defaultValue: unknown;
  readonly description: string | undefined;
  readonly enumValues: readonly string[] | undefined;
  /** The PostgreSQL enum type of an enum field; a foreign key shares the type of the key it references. */
  readonly enumType: string | undefined;
  /** Length limits of a string field, checked on writes. */
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  /** Created by relgraph for a foreign key that neither side of its link declares. */
  readonly generated: boolean;
}

/** One foreign key and the (one or two) relations that traverse it. */
export interface GraphLink {
  /** The model whose table holds the foreign-key column. */
  readonly holder: GraphModel;
  readonly foreignKey: GraphField;
  /** The model the foreign key points at, and the key it matches (primary key or unique). */
  readonly referenced: GraphModel;
  readonly referencedKey: GraphField;
  /** One-to-one: a UNIQUE index on the foreign key. Otherwise a plain index. */
  readonly unique: boolean;
  readonly optional: boolean;
  readonly onDelete: OnDelete;
  /** The `belongsTo` side, declared on the holder. */
  readonly child: GraphRelation | undefined;
  /** The `hasOne` / `hasMany` side, declared on the referenced model. */
  readonly parent: GraphRelation | undefined;
}

/**
 * A relation field. Every kind is the same lookup: the rows of `target` whose `targetKey` equals this
 * row's `sourceKey` — one row or `null` (`many: false`), or a list.
 */
export interface GraphRelation {
  readonly model: GraphModel;
  readonly name: string;
  readonly kind: RelationKind;
  readonly target: GraphModel;
  readonly link: GraphLink;
  readonly sourceKey: GraphField;
  readonly targetKey: GraphField;
  readonly many: boolean;
  /** Whether the GraphQL field may be null (`hasOne`, optional `belongsTo`). */
  readonly nullable: boolean;
  readonly description: string | undefined;
  /** The other side of the same link, when both models declare it. */
  readonly inverse: GraphRelation | undefined;
}

export interface GraphModel {
  readonly name: string;
  readonly table: string;
  readonly description: string | undefined;
  readonly definition: Model;
  readonly fields: ReadonlyMap<string, GraphField>;
  readonly primaryKey: GraphField;
  /** The primary key and every unique field, in declaration order. */
  readonly uniqueFields: readonly GraphField[];
  readonly relations: ReadonlyMap<string, GraphRelation>;
  /** The `manyToMany` relations of the model, each through its pivot. */
  readonly manyToMany: ReadonlyMap<string, GraphPivotRelation>;
}

/**
 * A many-to-many link: the pivot table, one row per linked pair, seen as a model of its own (an `id`,
 * the two keys, the pivot columns) that no query or mutation exposes except through the link.
 */
export interface GraphPivot {
  readonly model: GraphModel;
  /** The pivot's columns of the link itself: neither `id` nor the two keys. */
  readonly columns: readonly GraphField[];
  /** The two ends, in the order of the models' names (`Book` then `Tag`). */
  readonly ends: readonly [PivotEnd, PivotEnd];
}

/** One end of a pivot: the model, its key the pivot points at, and the pivot field holding it. */
export interface PivotEnd {
  readonly model: GraphModel;
  readonly key: GraphField;
  readonly pivotKey: GraphField;
}

/**
 * A `manyToMany` relation: the rows of `target` whose `targetKey` the pivot pairs (by `pivotTargetKey`)
 * with this row's `sourceKey` (by `pivotSourceKey`).
 */
export interface GraphPivotRelation {
  readonly model: GraphModel;
  readonly name: string;
  readonly kind: 'manyToMany';
  readonly target: GraphModel;
  readonly pivot: GraphPivot;
  readonly sourceKey: GraphField;
  readonly targetKey: GraphField;
  readonly pivotSourceKey: GraphField;
  readonly pivotTargetKey: GraphField;
  readonly description: string | undefined;
  /** The other side of the same link, when both models declare it. */
  readonly inverse: GraphPivotRelation | undefined;
}

export interface RelationGraph {
  readonly models: ReadonlyMap<string, GraphModel>;
  readonly links: readonly GraphLink[];
  /** The pivot of every many-to-many link. */
  readonly pivots: readonly GraphPivot[];
  /**
   * The foreign-key field of every link, and the key it references: parsed like keys, and typed like
   * that key (`ID` for an integer, bigint or uuid key, `String` for a unique text key).
   */
  readonly foreignKeys: ForeignKeys;
}

/** Each foreign-key field of a graph, mapped to the key it references. */
export type ForeignKeys = ReadonlyMap<GraphField, GraphField>;
