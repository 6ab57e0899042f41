/**
 * relgraph's public API. Every type a public function's inferred type mentions is exported too, so a
 * consumer's declaration emit can name the types of its models (TS2883 otherwise).
 */
export type { Authenticate } from './access/authenticate.ts';
export { type BearerAuthenticatorOptions, bearerAuthenticator } from './access/bearer-authenticator.ts';
export {
  connectDatabase,
  type DatabaseConnection,
  type DatabaseOptions,
  type DatabaseStatus,
} from './db/client.ts';
export { DataDirInUseError } from './db/data-dir-lock.ts';
export { applyMigrations, generateMigration, pendingMigration } from './db/migrations.ts';
export { pushSchema } from './db/push.ts';
export { buildTables, type ModelTable, type Tables } from './db/tables.ts';
export { buildDiagram, type Diagram } from './diagram/diagram-model.ts';
export { layoutDiagram } from './diagram/layout.ts';
export { renderMermaid } from './diagram/render-mermaid.ts';
export { renderSvg } from './diagram/render-svg.ts';
export { ErrorCode, unauthenticated } from './errors.ts';
export {
  type Configure,
  type Created,
  type CreateOptions,
  Factory,
  FactoryError,
  type FactoryTarget,
  factory,
  type Progress,
  type RowContext,
  resumeSequences,
} from './factories/index.ts';
export { createLoaders, type Loaders } from './loaders/registry.ts';
export type { RequestContext } from './loaders/request-context.ts';
export type {
  AccessRules,
  FieldRules,
  FieldWriteRule,
  ReadRule,
  ReadRuleArguments,
  RuleResult,
  Viewer,
  Where,
  WriteRule,
  WriteRuleArguments,
} from './schema/access-rules.ts';
export { buildRelationGraph } from './schema/build-graph.ts';
export { ModelDefinitionError } from './schema/definition-error.ts';
export {
  type Field,
  type FieldKind,
  type FieldOptions,
  field,
  type IdType,
  type JsonValue,
  type StringFieldOptions,
} from './schema/field.ts';
export type {
  GraphField,
  GraphLink,
  GraphModel,
  GraphPivot,
  GraphPivotRelation,
  GraphRelation,
  RelationGraph,
} from './schema/graph.ts';
export { type ManyToMany, type ManyToManyOptions, manyToMany } from './schema/many-to-many.ts';
export {
  type Fields,
  type KeyValue,
  type Model,
  type ModelConfig,
  model,
  type Relations,
  type Row,
} from './schema/model.ts';
export { printGraphSchema } from './schema/print-schema.ts';
export {
  type BelongsToOptions,
  belongsTo,
  type HasOptions,
  hasMany,
  hasOne,
  type OnDelete,
  type Relation,
  type RelationKind,
  type RelationOptions,
  type RelationTarget,
} from './schema/relation.ts';
export { buildTypeDefs } from './schema/type-defs.ts';
export { createServer, type RelgraphServer, type ServerOptions } from './server/create-server.ts';
export { ConfigError } from './server/env.ts';
export { defaultLimits, type QueryLimits } from './server/limits/limits.ts';
export { createLogger, type Logger, type LogLevel } from './server/logging.ts';
export type { PrepareDatabase } from './server/prepare-database.ts';
export type { ServerSettings } from './server/settings.ts';
