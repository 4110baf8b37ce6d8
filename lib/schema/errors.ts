/**
 * Errors of the schema layer: problems in a schema declaration, and values that do not
 * fit a table's columns. Plain tagged objects; no classes.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A problem found by `schema()` in the declared tables and relationships. Every variant
 * names the table (its key in the schema) and the field or relationship at fault.
 * @category errors
 */
export interface SchemaError {
  readonly _tag: 'SchemaError'
  readonly reason:
    | 'DuplicateTableName'
    | 'ForeignKeyTargetMissing'
    | 'ForeignKeyTargetNotUnique'
    | 'ForeignKeyTypeMismatch'
    | 'RelationTargetMissing'
    | 'RelationNameClash'
    | 'ForeignKeyMissing'
    | 'ForeignKeyAmbiguous'
    | 'ForeignKeyMismatch'
    | 'ThroughTableMissing'
    | 'ThroughKeysMissing'
    | 'BackPopulatesMissing'
    | 'BackPopulatesMismatch'
    | 'DeleteOrphanNeedsSingleParent'
    | 'HasOneNeedsUnique'
    | 'InvalidColumn'
  /** The table's key in the schema. */
  readonly table: string
  /** The column field or relationship name at fault. */
  readonly field: string
  readonly message: string
}

/** One field that failed its codec. @category errors */
export interface FieldError {
  readonly field: string
  /** What the column accepts, e.g. `varchar(50)` or `integer (−2147483648 … 2147483647)`. */
  readonly expected: string
  readonly message: string
}

/**
 * A value rejected by a table's codec before any SQL runs (at `add`/`update`), or a row
 * from the database that does not fit its table. The offending values are kept on the
 * non-enumerable `values` property, so they never reach logs by accident.
 * @category errors
 */
export interface DecodeError {
  readonly _tag: 'DecodeError'
  /** The table's SQL name. */
  readonly table: string
  readonly errors: ReadonlyArray<FieldError>
  readonly message: string
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** @category constructors */
export const schemaError = (
  reason: SchemaError['reason'],
  table: string,
  field: string,
  message: string,
): SchemaError =>
  Object.freeze({ _tag: 'SchemaError', reason, table, field, message: `${table}.${field}: ${message}` })

/** @category constructors */
export const decodeError = (
  table: string,
  errors: ReadonlyArray<FieldError>,
  values?: Readonly<Record<string, unknown>>,
): DecodeError => {
  const e = {
    _tag: 'DecodeError' as const,
    table,
    errors: Object.freeze(errors),
    message: errors.map((x) => `${table}.${x.field}: ${x.message}`).join('; '),
  }
  if (values !== undefined) Object.defineProperty(e, 'values', { value: values, enumerable: false })
  return Object.freeze(e)
}

/**
 * Thrown by `schema()` when a declaration is invalid: a mistake in the program, caught
 * when the module that declares the schema loads. `errors` lists every problem found.
 * (`schemaEither` returns the same problems as a value instead.)
 * @category errors
 */
export interface SchemaDefinitionError extends Error {
  readonly name: 'SchemaDefinitionError'
  readonly errors: ReadonlyArray<SchemaError>
}

/** @category constructors */
export const schemaDefinitionError = (errors: ReadonlyArray<SchemaError>): SchemaDefinitionError =>
  Object.assign(new Error(`invalid schema:\n  ${errors.map((e) => e.message).join('\n  ')}`), {
    name: 'SchemaDefinitionError' as const,
    errors,
  })
