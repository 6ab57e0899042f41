/** Fourth phase: each planned link gets its foreign-key field (declared or created), its rules and relations. */
import type { Problems } from './definition-error.ts';
import { didYouMean } from './did-you-mean.ts';
import type { FieldKind } from './field.ts';
import type { GraphField, GraphLink, GraphRelation, KeyType } from './graph.ts';
import { snakeCase } from './naming.ts';
import type { LinkPlan } from './pair-sides.ts';
import type { RelationSide } from './relation-sides.ts';
import { checkSqlName } from './sql-names.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const KIND_OF_KEY: Partial<Record<KeyType, FieldKind>> = {
  integer: 'int',
  bigint: 'bigint',
  uuid: 'uuid',
  text: 'string',
};

/** The field kind of a key that holds `key`'s values (an `id` key is held by an `int`, `bigint` or `uuid`). */
export const keyKind = (key: GraphField): FieldKind => KIND_OF_KEY[key.keyType] ?? key.kind;

/** The option both sides may give; reports a conflict when they give different values. */
function agreed<K extends 'optional' | 'onDelete' | 'column'>(plan: LinkPlan, option: K, problems: Problems) {
  const fromChild = plan.child?.definition.options[option];
  const fromParent = plan.parent?.definition.options[option];
  if (fromChild !== undefined && fromParent !== undefined && fromChild !== fromParent) {
    problems.add(
      `Relations "${plan.parent?.label}" and "${plan.child?.label}" are one link but set ${option} differently (${JSON.stringify(fromParent)} and ${JSON.stringify(fromChild)}); set it on one side.`,
    );
  }
  return fromChild ?? fromParent;
}

function findReferencedKey(plan: LinkPlan, side: RelationSide, problems: Problems): GraphField | undefined {
  const option = side.isChild ? 'ownerKey' : 'localKey';
  const key = side.referenced.fields.get(plan.referencedKey);
  if (!key) {
    const hint = didYouMean(plan.referencedKey, side.referenced.fields.keys());
    problems.add(
      `Relation "${side.label}": ${option} "${plan.referencedKey}" is not a field of "${side.referenced.name}".${hint}`,
    );
  } else if (!key.unique) {
    problems.add(
      `Relation "${side.label}": ${option} "${side.referenced.name}.${key.name}" must be the primary key or a unique field; add unique: true to it, or use the primary key.`,
    );
  }
  return key?.unique ? key : undefined;
}

/** The declared foreign-key field checked against the link, or a new field when neither side declares it. */
function foreignKeyField(
  plan: LinkPlan,
  side: RelationSide,
  referencedKey: GraphField,
  problems: Problems,
): GraphField {
  const holder = side.holder;
  const declared = holder.fields.get(plan.foreignKey);
  const optional = agreed(plan, 'optional', problems);
  const column = agreed(plan, 'column', problems);
  const where = `Relation "${side.label}"`;
  const fk = `"${holder.name}.${plan.foreignKey}"`;
  if (declared) {
    if (declared.keyType !== referencedKey.keyType) {
      const role = side.isChild ? 'owner key' : 'local key';
      problems.add(
        `${where}: foreign key ${fk} is ${declared.keyType} but ${role} "${referencedKey.model}.${referencedKey.name}" is ${referencedKey.keyType}; declare "${plan.foreignKey}" with the type of "${referencedKey.name}", or remove it and relgraph creates it.`,
      );
    }
    if (optional === false && declared.nullable) {
      problems.add(
        `${where}: optional: false, but the foreign key ${fk} is declared optional; remove one of the two.`,
      );
    }
    if (optional === true && !declared.nullable) {
      problems.add(
        `${where}: optional: true, but the foreign key ${fk} is declared required; declare it with optional: true.`,
      );
    }
    if (column !== undefined && column !== declared.column) {
      problems.add(
        `${where}: column "${column}" differs from column "${declared.column}" of the declared field ${fk}; set the column on the field only.`,
      );
    }
    if (declared.enumType !== referencedKey.enumType && referencedKey.enumType !== undefined) {
      const sharing = { ...declared, enumType: referencedKey.enumType };
      holder.fields.set(sharing.name, sharing);
      return sharing;
    }
    return declared;
  }
  const clashingRelation = Object.hasOwn(holder.definition.relations, plan.foreignKey);
  if (clashingRelation) {
    problems.add(
      `${where}: foreignKey "${plan.foreignKey}" is the name of relation "${holder.name}.${plan.foreignKey}", and a created foreign-key field cannot share it; choose another foreignKey.`,
    );
  }
  const created: GraphField = {
    ...referencedKey,
    model: holder.name,
    name: plan.foreignKey,
    column: column ?? snakeCase(plan.foreignKey),
    kind: keyKind(referencedKey),
    idType: undefined,
    nullable: optional === true,
    unique: false,
    primary: false,
    defaultValue: undefined,
    description: `Foreign key to ${referencedKey.model}.${referencedKey.name}.`,
    generated: true,
  };
  checkSqlName(where, 'column', created.column, problems);
  const clash = [...holder.fields.values()].find((other) => other.column === created.column);
  if (clash) {
    problems.add(
      `${where}: the foreign key ${fk} would use column "${created.column}", already used by "${holder.name}.${clash.name}"; set \`column\` on the relation.`,
    );
  }
  holder.fields.set(created.name, created);
  return created;
}

function relation(side: RelationSide, link: GraphLink): GraphRelation {
  const { fields } = side.isChild ? link.holder : link.referenced;
  const sourceKey = fields.get((side.isChild ? link.foreignKey : link.referencedKey).name) ?? link.foreignKey;
  return {
    model: side.model,
    name: side.name,
    kind: side.definition.kind,
    target: side.target,
    link,
    sourceKey,
    targetKey: side.isChild ? link.referencedKey : link.foreignKey,
    many: side.definition.kind === 'hasMany',
    nullable: side.definition.kind === 'hasOne' || (side.isChild && link.optional),
    description: side.definition.options.description,
    inverse: undefined,
  };
}

/** Creates the link of a plan, with its foreign-key field and the relation objects of its sides. */
export function createLink(plan: LinkPlan, problems: Problems): GraphLink | undefined {
  const side = plan.child ?? plan.parent;
  if (!side) return undefined;
  const referencedKey = findReferencedKey(plan, side, problems);
  if (!referencedKey) return undefined;
  let foreignKey = foreignKeyField(plan, side, referencedKey, problems);
  const uniqueRequested =
    plan.child?.definition.options.unique === true ||
    plan.parent?.definition.options.unique === true ||
    foreignKey.unique;
  if (plan.parent?.definition.kind === 'hasMany' && uniqueRequested) {
    problems.add(
      `Relation "${plan.parent.label}" is a hasMany, but its foreign key "${side.holder.name}.${foreignKey.name}" is unique; use hasOne, or drop unique.`,
    );
  }
  const unique = plan.parent?.definition.kind === 'hasOne' || uniqueRequested;
  if (unique && !foreignKey.unique) {
    foreignKey = { ...foreignKey, unique: true };
    side.holder.fields.set(foreignKey.name, foreignKey);
  }
  const onDelete = agreed(plan, 'onDelete', problems) ?? (foreignKey.nullable ? 'set null' : 'cascade');
  if (onDelete === 'set null' && !foreignKey.nullable) {
    problems.add(
      `Relation "${side.label}": onDelete 'set null' needs a nullable foreign key "${side.holder.name}.${foreignKey.name}"; add optional: true, or use 'cascade' or 'restrict'.`,
    );
  }
  const link: Mutable<GraphLink> = {
    holder: side.holder,
    foreignKey,
    referenced: side.referenced,
    referencedKey,
    unique,
    optional: foreignKey.nullable,
    onDelete,
    child: undefined,
    parent: undefined,
  };
  const child: Mutable<GraphRelation> | undefined = plan.child && relation(plan.child, link);
  const parent: Mutable<GraphRelation> | undefined = plan.parent && relation(plan.parent, link);
  if (child) {
    child.inverse = parent;
    plan.child?.model.relations.set(child.name, child);
  }
  if (parent) {
    parent.inverse = child;
    plan.parent?.model.relations.set(parent.name, parent);
  }
  link.child = child;
  link.parent = parent;
  return link;
}
