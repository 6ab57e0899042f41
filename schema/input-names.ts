/** Names of the generated mutation input types, in one place so the SDL and the resolvers agree. */
import type { GraphLink, GraphModel, GraphRelation } from './graph.ts';
import { pascalCase } from './naming.ts';

export type WriteMode = 'create' | 'update';

/**
 * A model written through a link is written without that link: the relation on its side of the link
 * is left out, and so is the foreign key when the model holds it (the parent sets it).
 */
export interface WriteShape {
  readonly model: GraphModel;
  readonly mode: WriteMode;
  readonly via: GraphLink | undefined;
}

/** The side of `via` declared on `model`, if any. */
export function sideOn(model: GraphModel, via: GraphLink | undefined): GraphRelation | undefined {
  if (!via) return undefined;
  if (via.child?.model === model) return via.child;
  if (via.parent?.model === model) return via.parent;
  return undefined;
}

/** Whether `via` takes a model's foreign key out of its input (the model holds it). */
export const holdsKey = (shape: WriteShape) => shape.via !== undefined && shape.via.holder === shape.model;

/** `CreateUserInput`, `CreatePhoneWithoutUserInput`, `UpdateProfileWithoutOwnerIdInput`, … */
export function inputName(shape: WriteShape): string {
  const verb = shape.mode === 'create' ? 'Create' : 'Update';
  const side = sideOn(shape.model, shape.via);
  const without = side ? side.name : holdsKey(shape) ? shape.via?.foreignKey.name : undefined;
  return `${verb}${shape.model.name}${without ? `Without${pascalCase(without)}` : ''}Input`;
}

/** `UserPhoneCreateInput`: the operations on relation `User.phone` inside a create or an update. */
export function relationInputName(relation: Pick<GraphRelation, 'model' | 'name'>, mode: WriteMode): string {
  return `${relation.model.name}${pascalCase(relation.name)}${mode === 'create' ? 'Create' : 'Update'}Input`;
}

/** `BookTagsAttachInput`, `BookTagsCreateItemInput`, `BookTagsUpdatePivotInput`: one link of `Book.tags`. */
export const pivotItemName = (relation: Pick<GraphRelation, 'model' | 'name'>, item: string) =>
  `${relation.model.name}${pascalCase(relation.name)}${item}Input`;

/** `BookTagPivotInput`: the pivot columns of a link. */
export const pivotInputName = (pivot: GraphModel) => `${pivot.name}PivotInput`;

/** `PhoneUniqueInput`: exactly one unique field, to find one row. */
export const uniqueInputName = (model: GraphModel) => `${model.name}UniqueInput`;

/** `UserPhoneConnectOrCreateInput`: `{ where, create }`. */
export const connectOrCreateName = (relation: GraphRelation) =>
  `${relation.model.name}${pascalCase(relation.name)}ConnectOrCreateInput`;

/** `RolePostsUpdateItemInput`: `{ where, data }` for one row of a hasMany in an update. */
export const updateItemName = (relation: GraphRelation) =>
  `${relation.model.name}${pascalCase(relation.name)}UpdateItemInput`;

/** `createUser`, `updateUser`, `deleteUser`. */
export const mutationName = (verb: 'create' | 'update' | 'delete', model: GraphModel) =>
  `${verb}${model.name}`;
