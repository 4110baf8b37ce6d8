/**
 * origami: a functional ORM for PostgreSQL. Public entry point — re-exports only.
 *
 * Models are values (`table`, column constructors, `schema`), sessions are change-sets
 * (`session` as `S`), queries are data (`query` as `Q`), and `connect` gives a database
 * that commits plans and runs queries. See docs/ARCHITECTURE.md.
 *
 * @since 0.1.0
 */

export type { CommitOptions, Committed } from './db/commit.js'
export { type ConnectOptions, connect, type Db, fromDriver } from './db/connect.js'
export type {
  CommitError,
  ConstraintViolation,
  QueryError,
  SerializationFailure,
  StaleRowError,
  StepFailed,
} from './db/errors.js'
export { type Outcome, runPlan } from './db/execute.js'
export { consoleLogger, type LogEntry, type Logger, logged } from './db/log.js'
export type { KeysetPage, Page } from './db/paginate.js'
export type { StreamOptions } from './db/stream.js'
export type { WriteError } from './db/write.js'
export type { InvalidQuery } from './dialects/postgres/compile-query.js'
export type { Compiled } from './dialects/postgres/compiled.js'
export type { Driver, DriverError, Executor, IsolationLevel, QueryResult } from './drivers/driver.js'
export { type ConnectionError, openDriver } from './drivers/open.js'
export * as query from './namespaces/query.js'
export * as session from './namespaces/session.js'
export type { Cell, DeleteStep, InsertStep, Plan, Step, UpdateStep } from './plan/step.js'
export { codecs, decodeInsert, decodePatch, decodeRow, type TableCodecs, toJSON } from './schema/codec.js'
export {
  type AnyColumn,
  bigint,
  bigserial,
  boolean,
  type Column,
  type ColumnRef,
  date,
  doublePrecision,
  integer,
  jsonb,
  numeric,
  type ReferentialAction,
  real,
  serial,
  text,
  timestamp,
  uuid,
  varchar,
  version,
} from './schema/column.js'
export type { DecodeError, FieldError, SchemaDefinitionError, SchemaError } from './schema/errors.js'
export { belongsTo, type Cascade, hasMany, hasOne, manyToMany, type Relation } from './schema/relation.js'
export {
  type AnySchema,
  type ForeignKey,
  type ResolvedRelation,
  type Schema,
  schema,
  schemaEither,
} from './schema/schema.js'
export {
  type AnyTable,
  type Insert,
  type Key,
  type Patch,
  type Row,
  type Table,
  table,
} from './schema/table.js'
