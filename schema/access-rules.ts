/**
 * Access rules declared with a model: who may read which rows and fields, and who may create, update
 * or delete them. A rule answers `true`, `false`, or a filter in the model's `Where` shape built from
 * the viewer; a filter becomes part of the SQL statement that reads or writes the rows.
 */

/** Who is asking: the subject of a verified token (`sub` → `id`) and its other claims. */
export interface Viewer {
  /** The subject: a user's key, compared with key fields in rules (`{ userId: { eq: viewer.id } }`). */
  readonly id: string;
  readonly [claim: string]: unknown;
}

/** A condition in a model's `Where` input shape: field operators, relation filters, `and`/`or`/`not`. */
export type Where = { readonly [name: string]: unknown };

/** `true`: every row; `false`: none; a filter: the rows it matches. */
export type RuleResult = boolean | Where;

/** Rules see the viewer of the request, `null` when it is anonymous. */
export interface ReadRuleArguments {
  readonly viewer: Viewer | null;
}

export interface WriteRuleArguments extends ReadRuleArguments {
  /**
   * The input given for this row (fields and relation operations, as the client sent them), with the
   * foreign key a parent sets in a nested write; `{}` for a delete.
   */
  readonly input: Readonly<Record<string, unknown>>;
}

export type ReadRule = (args: ReadRuleArguments) => RuleResult;
export type WriteRule = (args: WriteRuleArguments) => RuleResult;

/**
 * Who may set a field, beside the row's own write rule (Hasura's column insert and update
 * permissions): `true` or `false`, from the viewer and the row's input. Row conditions belong in the
 * model's `create`/`update` rules; a field rule decides whether this viewer may give the field at all.
 */
export type FieldWriteRule = (args: WriteRuleArguments) => boolean;

/**
 * The rules of one field, in object form: `read` hides it (as a bare function does), `create` and
 * `update` decide who may set it, through every path that sets it (the field, its `belongsTo`
 * relation, a parent's nested write). Each is optional; a missing one allows everyone.
 */
export interface FieldRules {
  readonly read?: ReadRule;
  readonly create?: FieldWriteRule;
  readonly update?: FieldWriteRule;
}

/**
 * `model('Post', { access: { … } })`. An operation without a rule is open to everyone, as on a model
 * without `access`. `F`: the model's declared fields; `K`: the foreign keys of its `belongsTo`
 * relations, which may carry write rules but cannot be hidden.
 */
export interface AccessRules<F extends string = string, K extends string = string> {
  /** Which rows the viewer can see, on every path: lookups, lists, relations, filters, totals, results. */
  read?: ReadRule;
  /** Whether a row may be created; a filter must hold for the new row (checked before the commit). */
  create?: WriteRule;
  /** Which rows may be updated; a filter must hold before the update and still hold after it. */
  update?: WriteRule;
  /** Which rows may be deleted. */
  delete?: WriteRule;
  /**
   * Per field. A function (or `read`) makes the field visible only where it holds (a filter on the
   * row, `true` or `false`): elsewhere a nullable field reads as `null` and a non-null one is a
   * FORBIDDEN error naming the field; filters and orderings see the hidden value as `null` too.
   * `create`/`update` decide who may set the field. Default: every field readable and writable.
   */
  fields?: { readonly [N in F]?: ReadRule | FieldRules } & {
    readonly [N in Exclude<K, F>]?: Omit<FieldRules, 'read'>;
  };
}

/** The rules of a field in object form, whichever form was declared (`{}` when there are none). */
export function fieldRules(access: AccessRules | undefined, name: string): FieldRules {
  const rule = (access?.fields as Record<string, ReadRule | FieldRules | undefined> | undefined)?.[name];
  if (rule === undefined) return {};
  return typeof rule === 'function' ? { read: rule } : rule;
}

export type WriteOperation = 'create' | 'update' | 'delete';
