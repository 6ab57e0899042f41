/** Database errors a client can cause, turned into client errors that name the model, field and link. */
import type { GraphQLError } from 'graphql';
import { clientError, ErrorCode } from '../errors.ts';
import type { GraphField, GraphLink, RelationGraph } from '../schema/graph.ts';

/** The fields of a PostgreSQL error, whichever driver raised it (PGlite or node-postgres). */
interface PostgresErrorFields {
  code: string;
  detail: string | undefined;
  constraint: string | undefined;
  table: string | undefined;
  column: string | undefined;
}

type Rule =
  | { readonly kind: 'unique'; readonly field: GraphField; readonly link: GraphLink | undefined }
  | { readonly kind: 'foreignKey'; readonly link: GraphLink };

/** Constraint and index names relgraph gives (db/tables.ts), mapped back to the rule they enforce. */
export class ConstraintIndex {
  readonly #rules = new Map<string, Rule>();
  readonly #columns = new Map<string, GraphField>();

  constructor(graph: RelationGraph) {
    const oneToOne = new Map(
      graph.links.filter((link) => link.unique).map((link) => [link.foreignKey, link]),
    );
    for (const model of graph.models.values()) {
      for (const field of model.fields.values()) {
        this.#columns.set(`${model.table}.${field.column}`, field);
        if (!field.unique) continue;
        const name = field.primary ? `${model.table}_pkey` : `${model.table}_${field.column}_unique`;
        this.#rules.set(name, { kind: 'unique', field, link: oneToOne.get(field) });
      }
    }
    for (const link of graph.links) {
      this.#rules.set(`${link.holder.table}_${link.foreignKey.column}_fkey`, { kind: 'foreignKey', link });
    }
  }

  rule(constraint: string | undefined): Rule | undefined {
    return constraint === undefined ? undefined : this.#rules.get(constraint);
  }

  field(table: string | undefined, column: string | undefined): GraphField | undefined {
    return this.#columns.get(`${table}.${column}`);
  }
}

function postgresErrorOf(error: unknown): PostgresErrorFields | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const fields = cause as Error & Record<string, unknown>;
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) {
      const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
      return {
        code: fields.code,
        detail: text(fields.detail),
        constraint: text(fields.constraint ?? fields.constraint_name),
        table: text(fields.table ?? fields.table_name),
        column: text(fields.column ?? fields.column_name),
      };
    }
  }
  return undefined;
}

/** Whether `error` is a unique violation (a concurrent writer may have created the same row). */
export const isUniqueViolation = (error: unknown) => postgresErrorOf(error)?.code === '23505';

/** A statement refused because an earlier one failed and aborted its transaction (25P02). */
export const isFailedTransaction = (error: unknown) => postgresErrorOf(error)?.code === '25P02';

/** `Key (user_id)=(7) already exists.` → `7` */
const keyValue = (detail: string | undefined) => /Key \(.*?\)=\((.*)\)/.exec(detail ?? '')?.[1] ?? '?';

function uniqueViolation(rule: Rule | undefined, value: string): GraphQLError {
  if (rule?.kind !== 'unique') {
    return clientError(
      ErrorCode.CONFLICT,
      `A row with the value "${value}" already exists where it must be unique.`,
    );
  }
  const { field, link } = rule;
  if (link) {
    // A one-to-one link: name the parent that already has its one child.
    const { holder, referenced, foreignKey } = link;
    return clientError(
      ErrorCode.CONFLICT,
      `${referenced.name} "${value}" already has a ${holder.name} (${holder.name}.${foreignKey.name} is unique).`,
      { model: holder.name, field: foreignKey.name },
    );
  }
  return clientError(
    ErrorCode.CONFLICT,
    `A ${field.model} with ${field.name} "${value}" already exists (${field.model}.${field.name} is unique).`,
    { model: field.model, field: field.name },
  );
}

function foreignKeyViolation(link: GraphLink, error: PostgresErrorFields, value: string): GraphQLError {
  const { holder, referenced, foreignKey } = link;
  if (/is (still )?referenced from/.test(error.detail ?? '')) {
    const through = link.child ? `${holder.name}.${link.child.name}` : `${holder.name}.${foreignKey.name}`;
    return clientError(
      ErrorCode.CONSTRAINT,
      `${referenced.name} "${value}" cannot be deleted: ${holder.name} rows still point at it through ${through} (onDelete: ${link.onDelete}). Delete or move them first.`,
      { model: referenced.name, blockedBy: through },
    );
  }
  return missingReference(link, value);
}

/**
 * The NOT_FOUND of a foreign key that matches no row. Also the answer for a key that matches a row
 * the viewer may not read, so the two cannot be told apart.
 */
export function missingReference(link: GraphLink, value: string): GraphQLError {
  const { holder, referenced, referencedKey, foreignKey } = link;
  return clientError(
    ErrorCode.NOT_FOUND,
    `No ${referenced.name} has ${referencedKey.name} "${value}" (given for ${holder.name}.${foreignKey.name}).`,
    { model: referenced.name, field: referencedKey.name },
  );
}

/**
 * The client error for a database error a client can cause (unique, foreign-key, not-null and
 * invalid-value violations, lost races), or `undefined` for anything else (left to error masking).
 */
export function clientErrorOf(error: unknown, constraints: ConstraintIndex): GraphQLError | undefined {
  const found = postgresErrorOf(error);
  if (!found) return undefined;
  const rule = constraints.rule(found.constraint);
  const value = keyValue(found.detail);
  switch (found.code) {
    case '23505':
      return uniqueViolation(rule, value);
    case '23503':
    case '23001':
      return rule?.kind === 'foreignKey' ? foreignKeyViolation(rule.link, found, value) : undefined;
    case '23502': {
      const field = constraints.field(found.table, found.column);
      const name = field ? `${field.model}.${field.name}` : `column "${found.column}"`;
      return clientError(ErrorCode.BAD_USER_INPUT, `${name} is required; give a value for it.`);
    }
    case '40001':
    case '40P01':
      return clientError(
        ErrorCode.CONFLICT,
        'The write collided with a concurrent one and was rolled back; retry it.',
      );
    default:
      return found.code.startsWith('22')
        ? clientError(
            ErrorCode.BAD_USER_INPUT,
            `A value does not fit its column: ${found.code === '22001' ? 'too long' : 'invalid'}.`,
          )
        : undefined;
  }
}
