/**
 * Field write rules (`access.fields.<name>.create` / `.update`, Hasura's column permissions): whether
 * the viewer may set a field at all. They hold on every path that sets a column: the field itself
 * (`roleId: 1`), its `belongsTo` relation (`role: { connect | create | connectOrCreate | disconnect |
 * delete }`), and the foreign key a parent sets on a child it creates, connects or disconnects.
 */
import { forbiddenError } from '../errors.ts';
import { fieldRules } from '../schema/access-rules.ts';
import type { GraphField, GraphModel } from '../schema/graph.ts';
import type { Values } from './input-values.ts';
import type { WriteContext } from './write-context.ts';

/** The field an input entry sets: a field by name, or the foreign key of a `belongsTo` it relinks. */
function fieldSetBy(model: GraphModel, name: string, value: unknown): GraphField | undefined {
  const field = model.fields.get(name);
  if (field) return field;
  const relation = model.relations.get(name);
  if (relation?.kind !== 'belongsTo' || value === null || typeof value !== 'object') return undefined;
  // `update` writes the parent row; every other operation points this row elsewhere (or nowhere).
  const relinks = Object.entries(value).some(
    ([operation, argument]) => operation !== 'update' && argument != null && argument !== false,
  );
  return relinks ? relation.link.foreignKey : undefined;
}

/**
 * FORBIDDEN, naming the field and where in the input it was set, when a field rule of `model` refuses
 * a field that `input` (the client's) or `fixed` (the key a parent sets, reported at `path`) sets on
 * a row being created or updated. A no-op for models without field rules.
 */
export function checkFieldWrites(
  context: WriteContext,
  model: GraphModel,
  operation: 'create' | 'update',
  input: Values,
  path: string,
  fixed: Values = {},
): void {
  const { access } = model.definition;
  if (!access?.fields) return;
  const set: Array<[GraphField, string]> = [];
  for (const [name, value] of Object.entries(input)) {
    const field = value === undefined ? undefined : fieldSetBy(model, name, value);
    if (field) set.push([field, `${path}.${name}`]);
  }
  for (const name of Object.keys(fixed)) {
    const field = model.fields.get(name);
    if (field) set.push([field, path]);
  }
  const { viewer } = context.access;
  for (const [field, at] of set) {
    const rule = fieldRules(access, field.name)[operation];
    if (!rule) continue;
    const label = `${model.name} access.fields.${field.name}.${operation}`;
    const allowed: unknown = rule({ viewer, input: { ...input, ...fixed } });
    if (typeof allowed !== 'boolean')
      throw new Error(`relgraph: ${label} returned ${JSON.stringify(allowed)}; return true or false.`);
    if (allowed) continue;
    const who = viewer === null ? 'an anonymous viewer' : 'you';
    throw forbiddenError(
      `${at}: the access rule of ${model.name}.${field.name} does not allow ${who} to set it when ${operation === 'create' ? 'creating' : 'updating'} a ${model.name}${viewer === null ? '; sign in first' : ''}.`,
      { path: at, model: model.name, field: field.name, operation },
    );
  }
}
