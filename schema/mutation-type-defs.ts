/** GraphQL SDL of the mutations: create/update/delete per model, with nested relation inputs. */

import { fieldTypeOf } from './field-types.ts';
import type {
  ForeignKeys,
  GraphField,
  GraphModel,
  GraphPivotRelation,
  GraphRelation,
  RelationGraph,
} from './graph.ts';
import {
  connectOrCreateName,
  holdsKey,
  inputName,
  mutationName,
  pivotInputName,
  pivotItemName,
  relationInputName,
  sideOn,
  uniqueInputName,
  updateItemName,
  type WriteMode,
  type WriteShape,
} from './input-names.ts';

/** The fields a shape's input offers: every field but the primary key and a key the parent sets. */
export function inputFields(shape: WriteShape): GraphField[] {
  return [...shape.model.fields.values()].filter(
    (field) => !field.primary && !(holdsKey(shape) && shape.via?.foreignKey === field),
  );
}

/** The relations a shape's input offers: every relation but its side of the link it is written through. */
export function inputRelations(shape: WriteShape): GraphRelation[] {
  const excluded = sideOn(shape.model, shape.via);
  return Object.keys(shape.model.definition.relations)
    .map((name) => shape.model.relations.get(name))
    .filter((relation): relation is GraphRelation => relation !== undefined && relation !== excluded);
}

class TypeDefWriter {
  readonly #written = new Map<string, string>();
  readonly #keys: ForeignKeys;

  constructor(graph: RelationGraph) {
    this.#keys = graph.foreignKeys;
  }

  get sdl(): string[] {
    return [...this.#written.values()];
  }

  #once(name: string, build: () => string): string {
    if (!this.#written.has(name)) {
      this.#written.set(name, '');
      this.#written.set(name, build());
    }
    return name;
  }

  /** A field must be given on create when the column is required, has no default and no link can fill it. */
  #required(shape: WriteShape, field: GraphField): boolean {
    return (
      shape.mode === 'create' && !field.nullable && field.defaultValue === undefined && !this.#keys.has(field)
    );
  }

  input(shape: WriteShape): string {
    return this.#once(inputName(shape), () => {
      const lines = inputFields(shape).map(
        (field) =>
          `  ${field.name}: ${fieldTypeOf(field, this.#keys)}${this.#required(shape, field) ? '!' : ''}`,
      );
      for (const relation of inputRelations(shape)) {
        lines.push(`  ${relation.name}: ${this.relationInput(relation, shape.mode)}`);
      }
      for (const relation of shape.model.manyToMany.values()) {
        lines.push(`  ${relation.name}: ${this.#pivotInput(relation, shape.mode)}`);
      }
      if (lines.length === 0) {
        lines.push(
          `  """Nothing to set: every field of ${shape.model.name} comes from its link or a default."""\n  _: Boolean`,
        );
      }
      const what = shape.mode === 'create' ? 'A new' : 'Changes to a';
      return `"""${what} ${shape.model.name}${shape.via ? ', written through its link' : ''}."""\ninput ${inputName(shape)} {\n${lines.join('\n')}\n}`;
    });
  }

  unique(model: GraphModel): string {
    return this.#once(uniqueInputName(model), () => {
      const lines = model.uniqueFields.map((field) => `  ${field.name}: ${fieldTypeOf(field, this.#keys)}`);
      return `"""Exactly one unique field of a ${model.name}."""\ninput ${uniqueInputName(model)} {\n${lines.join('\n')}\n}`;
    });
  }

  #connectOrCreate(relation: GraphRelation): string {
    return this.#once(connectOrCreateName(relation), () => {
      const create = this.input({ model: relation.target, mode: 'create', via: relation.link });
      return `"""The ${relation.target.name} found by \`where\`, or else a new one from \`create\`."""\ninput ${connectOrCreateName(relation)} {\n  where: ${this.unique(relation.target)}!\n  create: ${create}!\n}`;
    });
  }

  relationInput(relation: GraphRelation, mode: WriteMode): string {
    return this.#once(relationInputName(relation, mode), () => {
      const { target, link } = relation;
      const list = (type: string) => (relation.many ? `[${type}!]` : type);
      const lines = [
        `  create: ${list(this.input({ model: target, mode: 'create', via: link }))}`,
        `  connect: ${list(this.unique(target))}`,
        `  connectOrCreate: ${list(this.#connectOrCreate(relation))}`,
      ];
      if (mode === 'update') {
        const update = this.input({ model: target, mode: 'update', via: link });
        lines.push(`  update: ${relation.many ? `[${this.#updateItem(relation, update)}!]` : update}`);
        const single = relation.many ? `[${this.unique(target)}!]` : 'Boolean';
        if (link.optional) lines.push(`  disconnect: ${single}`);
        if (relation.kind !== 'belongsTo' || link.optional) lines.push(`  delete: ${single}`);
      }
      return `"""What to do with ${relation.model.name}.${relation.name}: one operation per call."""\ninput ${relationInputName(relation, mode)} {\n${lines.join('\n')}\n}`;
    });
  }

  /** The pivot columns a link is written with; a required one is checked when a link is added. */
  #pivotColumns(relation: GraphPivotRelation): string {
    const { model, columns } = relation.pivot;
    return this.#once(pivotInputName(model), () => {
      const lines = columns.map((field) => `  ${field.name}: ${fieldTypeOf(field, this.#keys)}`);
      if (lines.length === 0) lines.push(`  """The link has no pivot columns."""\n  _: Boolean`);
      return `"""The pivot columns of a link in ${model.table}."""\ninput ${pivotInputName(model)} {\n${lines.join('\n')}\n}`;
    });
  }

  /** `{ <unique field of the target>, pivot }`: one link to add. */
  #attachItem(relation: GraphPivotRelation): string {
    return this.#once(pivotItemName(relation, 'Attach'), () => {
      const lines = relation.target.uniqueFields.map(
        (field) => `  ${field.name}: ${fieldTypeOf(field, this.#keys)}`,
      );
      lines.push(`  pivot: ${this.#pivotColumns(relation)}`);
      return `"""A ${relation.target.name} to link, by exactly one unique field, with the link's pivot columns."""\ninput ${pivotItemName(relation, 'Attach')} {\n${lines.join('\n')}\n}`;
    });
  }

  #pivotInput(relation: GraphPivotRelation, mode: WriteMode): string {
    return this.#once(relationInputName(relation, mode), () => {
      const { target } = relation;
      const attach = this.#attachItem(relation);
      const create = this.#once(pivotItemName(relation, 'CreateItem'), () => {
        const data = this.input({ model: target, mode: 'create', via: undefined });
        return `"""A new ${target.name}, linked with the pivot columns."""\ninput ${pivotItemName(relation, 'CreateItem')} {\n  data: ${data}!\n  pivot: ${this.#pivotColumns(relation)}\n}`;
      });
      const lines = [
        `  """Links existing rows; a link that exists already is a CONFLICT."""\n  attach: [${attach}!]`,
        `  """Creates rows and links them."""\n  create: [${create}!]`,
        `  """Links the row \`where\` names, created from \`create\` when there is none."""\n  connectOrCreate: [${this.#once(
          pivotItemName(relation, 'ConnectOrCreate'),
          () =>
            `input ${pivotItemName(relation, 'ConnectOrCreate')} {\n  where: ${this.unique(target)}!\n  create: ${this.input({ model: target, mode: 'create', via: undefined })}!\n  pivot: ${this.#pivotColumns(relation)}\n}`,
        )}!]`,
      ];
      if (mode === 'update') {
        const update = this.#once(pivotItemName(relation, 'UpdatePivot'), () => {
          const where = this.unique(target);
          return `"""New pivot columns for the link to one ${target.name}."""\ninput ${pivotItemName(relation, 'UpdatePivot')} {\n  where: ${where}!\n  pivot: ${this.#pivotColumns(relation)}!\n}`;
        });
        lines.push(
          `  """Removes links (the rows stay); a link that does not exist is NOT_FOUND."""\n  detach: [${this.unique(target)}!]`,
          `  """Leaves exactly these links: removes the others, adds the missing ones, sets the pivot columns given."""\n  sync: [${attach}!]`,
          `  """Changes the pivot columns of existing links."""\n  updatePivot: [${update}!]`,
        );
      }
      return `"""What to do with the links of ${relation.model.name}.${relation.name} (through ${relation.pivot.model.table}), in this order: detach, sync, attach, create, connectOrCreate, updatePivot."""\ninput ${relationInputName(relation, mode)} {\n${lines.join('\n')}\n}`;
    });
  }

  #updateItem(relation: GraphRelation, update: string): string {
    return this.#once(updateItemName(relation), () => {
      return `input ${updateItemName(relation)} {\n  where: ${this.unique(relation.target)}!\n  data: ${update}!\n}`;
    });
  }
}

/** The mutation SDL: input types and `type Mutation`. */
export function buildMutationTypeDefs(graph: RelationGraph): string {
  const writer = new TypeDefWriter(graph);
  const fields: string[] = [];
  for (const model of graph.models.values()) {
    const key = model.primaryKey.name;
    const create = writer.input({ model, mode: 'create', via: undefined });
    const update = writer.input({ model, mode: 'update', via: undefined });
    fields.push(
      `  """Creates a ${model.name} and the related rows given with it, in one transaction."""\n  ${mutationName('create', model)}(input: ${create}!): ${model.name}!`,
      `  """Changes a ${model.name} and its relations, in one transaction."""\n  ${mutationName('update', model)}(${key}: ID!, input: ${update}!): ${model.name}!`,
      `  """Deletes a ${model.name}; related rows follow each link's onDelete. Returns the deleted row."""\n  ${mutationName('delete', model)}(${key}: ID!): ${model.name}`,
    );
  }
  return [...writer.sdl, `type Mutation {\n${fields.join('\n')}\n}`].join('\n\n');
}
