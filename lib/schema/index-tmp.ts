export * from './column.js'
export * from './table.js'
export * from './relation.js'
export * from './schema.js'
