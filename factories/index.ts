export type { RowContext } from './blueprint.ts';
export { type Configure, type Created, type CreateOptions, Factory, factory } from './factory.ts';
export { FactoryError } from './factory-error.ts';
export type { Progress } from './insert-rows.ts';
export { resumeSequences } from './sequences.ts';
export type { FactoryTarget } from './target.ts';
