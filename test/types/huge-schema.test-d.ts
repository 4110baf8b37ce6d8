// A 100-table schema with 198 relationships: guards type-check time of schema(),
// queries, joins and includes (kysely's huge-db.test-d.ts idea; STYLE.md § 3.5).
// Generated: each table t<i> has a key, three columns and a foreign key to t<i-1>.
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, it } from 'vitest'
import {
  belongsTo,
  hasMany,
  integer,
  type Row,
  schema,
  serial,
  table,
  text,
  varchar,
} from '../../lib/index.js'
import * as Q from '../../lib/namespaces/query.js'

const t0 = table('t0', { id: serial().primaryKey(), name: varchar(40).notNull(), note: text(), n: integer() })
const t1 = table('t1', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t0.id),
})
const t2 = table('t2', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t1.id),
})
const t3 = table('t3', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t2.id),
})
const t4 = table('t4', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t3.id),
})
const t5 = table('t5', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t4.id),
})
const t6 = table('t6', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t5.id),
})
const t7 = table('t7', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t6.id),
})
const t8 = table('t8', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t7.id),
})
const t9 = table('t9', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t8.id),
})
const t10 = table('t10', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t9.id),
})
const t11 = table('t11', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t10.id),
})
const t12 = table('t12', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t11.id),
})
const t13 = table('t13', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t12.id),
})
const t14 = table('t14', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t13.id),
})
const t15 = table('t15', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t14.id),
})
const t16 = table('t16', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t15.id),
})
const t17 = table('t17', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t16.id),
})
const t18 = table('t18', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t17.id),
})
const t19 = table('t19', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t18.id),
})
const t20 = table('t20', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t19.id),
})
const t21 = table('t21', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t20.id),
})
const t22 = table('t22', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t21.id),
})
const t23 = table('t23', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t22.id),
})
const t24 = table('t24', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t23.id),
})
const t25 = table('t25', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t24.id),
})
const t26 = table('t26', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t25.id),
})
const t27 = table('t27', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t26.id),
})
const t28 = table('t28', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t27.id),
})
const t29 = table('t29', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t28.id),
})
const t30 = table('t30', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t29.id),
})
const t31 = table('t31', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t30.id),
})
const t32 = table('t32', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t31.id),
})
const t33 = table('t33', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t32.id),
})
const t34 = table('t34', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t33.id),
})
const t35 = table('t35', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t34.id),
})
const t36 = table('t36', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t35.id),
})
const t37 = table('t37', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t36.id),
})
const t38 = table('t38', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t37.id),
})
const t39 = table('t39', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t38.id),
})
const t40 = table('t40', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t39.id),
})
const t41 = table('t41', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t40.id),
})
const t42 = table('t42', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t41.id),
})
const t43 = table('t43', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t42.id),
})
const t44 = table('t44', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t43.id),
})
const t45 = table('t45', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t44.id),
})
const t46 = table('t46', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t45.id),
})
const t47 = table('t47', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t46.id),
})
const t48 = table('t48', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t47.id),
})
const t49 = table('t49', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t48.id),
})
const t50 = table('t50', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t49.id),
})
const t51 = table('t51', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t50.id),
})
const t52 = table('t52', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t51.id),
})
const t53 = table('t53', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t52.id),
})
const t54 = table('t54', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t53.id),
})
const t55 = table('t55', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t54.id),
})
const t56 = table('t56', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t55.id),
})
const t57 = table('t57', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t56.id),
})
const t58 = table('t58', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t57.id),
})
const t59 = table('t59', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t58.id),
})
const t60 = table('t60', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t59.id),
})
const t61 = table('t61', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t60.id),
})
const t62 = table('t62', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t61.id),
})
const t63 = table('t63', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t62.id),
})
const t64 = table('t64', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t63.id),
})
const t65 = table('t65', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t64.id),
})
const t66 = table('t66', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t65.id),
})
const t67 = table('t67', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t66.id),
})
const t68 = table('t68', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t67.id),
})
const t69 = table('t69', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t68.id),
})
const t70 = table('t70', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t69.id),
})
const t71 = table('t71', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t70.id),
})
const t72 = table('t72', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t71.id),
})
const t73 = table('t73', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t72.id),
})
const t74 = table('t74', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t73.id),
})
const t75 = table('t75', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t74.id),
})
const t76 = table('t76', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t75.id),
})
const t77 = table('t77', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t76.id),
})
const t78 = table('t78', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t77.id),
})
const t79 = table('t79', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t78.id),
})
const t80 = table('t80', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t79.id),
})
const t81 = table('t81', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t80.id),
})
const t82 = table('t82', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t81.id),
})
const t83 = table('t83', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t82.id),
})
const t84 = table('t84', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t83.id),
})
const t85 = table('t85', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t84.id),
})
const t86 = table('t86', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t85.id),
})
const t87 = table('t87', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t86.id),
})
const t88 = table('t88', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t87.id),
})
const t89 = table('t89', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t88.id),
})
const t90 = table('t90', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t89.id),
})
const t91 = table('t91', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t90.id),
})
const t92 = table('t92', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t91.id),
})
const t93 = table('t93', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t92.id),
})
const t94 = table('t94', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t93.id),
})
const t95 = table('t95', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t94.id),
})
const t96 = table('t96', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t95.id),
})
const t97 = table('t97', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t96.id),
})
const t98 = table('t98', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t97.id),
})
const t99 = table('t99', {
  id: serial().primaryKey(),
  name: varchar(40).notNull(),
  note: text(),
  n: integer(),
  parentId: integer('parent_id').references(() => t98.id),
})

const huge = schema(
  {
    t0,
    t1,
    t2,
    t3,
    t4,
    t5,
    t6,
    t7,
    t8,
    t9,
    t10,
    t11,
    t12,
    t13,
    t14,
    t15,
    t16,
    t17,
    t18,
    t19,
    t20,
    t21,
    t22,
    t23,
    t24,
    t25,
    t26,
    t27,
    t28,
    t29,
    t30,
    t31,
    t32,
    t33,
    t34,
    t35,
    t36,
    t37,
    t38,
    t39,
    t40,
    t41,
    t42,
    t43,
    t44,
    t45,
    t46,
    t47,
    t48,
    t49,
    t50,
    t51,
    t52,
    t53,
    t54,
    t55,
    t56,
    t57,
    t58,
    t59,
    t60,
    t61,
    t62,
    t63,
    t64,
    t65,
    t66,
    t67,
    t68,
    t69,
    t70,
    t71,
    t72,
    t73,
    t74,
    t75,
    t76,
    t77,
    t78,
    t79,
    t80,
    t81,
    t82,
    t83,
    t84,
    t85,
    t86,
    t87,
    t88,
    t89,
    t90,
    t91,
    t92,
    t93,
    t94,
    t95,
    t96,
    t97,
    t98,
    t99,
  },
  {
    t0: { children: hasMany('t1', { foreignKey: 'parentId', backPopulates: 'parent' }) },
    t1: {
      children: hasMany('t2', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t0', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t2: {
      children: hasMany('t3', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t1', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t3: {
      children: hasMany('t4', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t2', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t4: {
      children: hasMany('t5', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t3', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t5: {
      children: hasMany('t6', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t4', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t6: {
      children: hasMany('t7', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t5', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t7: {
      children: hasMany('t8', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t6', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t8: {
      children: hasMany('t9', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t7', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t9: {
      children: hasMany('t10', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t8', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t10: {
      children: hasMany('t11', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t9', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t11: {
      children: hasMany('t12', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t10', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t12: {
      children: hasMany('t13', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t11', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t13: {
      children: hasMany('t14', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t12', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t14: {
      children: hasMany('t15', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t13', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t15: {
      children: hasMany('t16', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t14', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t16: {
      children: hasMany('t17', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t15', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t17: {
      children: hasMany('t18', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t16', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t18: {
      children: hasMany('t19', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t17', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t19: {
      children: hasMany('t20', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t18', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t20: {
      children: hasMany('t21', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t19', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t21: {
      children: hasMany('t22', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t20', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t22: {
      children: hasMany('t23', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t21', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t23: {
      children: hasMany('t24', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t22', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t24: {
      children: hasMany('t25', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t23', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t25: {
      children: hasMany('t26', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t24', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t26: {
      children: hasMany('t27', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t25', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t27: {
      children: hasMany('t28', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t26', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t28: {
      children: hasMany('t29', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t27', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t29: {
      children: hasMany('t30', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t28', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t30: {
      children: hasMany('t31', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t29', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t31: {
      children: hasMany('t32', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t30', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t32: {
      children: hasMany('t33', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t31', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t33: {
      children: hasMany('t34', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t32', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t34: {
      children: hasMany('t35', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t33', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t35: {
      children: hasMany('t36', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t34', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t36: {
      children: hasMany('t37', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t35', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t37: {
      children: hasMany('t38', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t36', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t38: {
      children: hasMany('t39', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t37', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t39: {
      children: hasMany('t40', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t38', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t40: {
      children: hasMany('t41', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t39', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t41: {
      children: hasMany('t42', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t40', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t42: {
      children: hasMany('t43', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t41', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t43: {
      children: hasMany('t44', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t42', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t44: {
      children: hasMany('t45', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t43', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t45: {
      children: hasMany('t46', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t44', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t46: {
      children: hasMany('t47', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t45', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t47: {
      children: hasMany('t48', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t46', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t48: {
      children: hasMany('t49', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t47', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t49: {
      children: hasMany('t50', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t48', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t50: {
      children: hasMany('t51', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t49', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t51: {
      children: hasMany('t52', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t50', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t52: {
      children: hasMany('t53', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t51', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t53: {
      children: hasMany('t54', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t52', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t54: {
      children: hasMany('t55', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t53', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t55: {
      children: hasMany('t56', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t54', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t56: {
      children: hasMany('t57', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t55', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t57: {
      children: hasMany('t58', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t56', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t58: {
      children: hasMany('t59', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t57', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t59: {
      children: hasMany('t60', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t58', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t60: {
      children: hasMany('t61', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t59', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t61: {
      children: hasMany('t62', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t60', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t62: {
      children: hasMany('t63', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t61', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t63: {
      children: hasMany('t64', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t62', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t64: {
      children: hasMany('t65', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t63', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t65: {
      children: hasMany('t66', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t64', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t66: {
      children: hasMany('t67', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t65', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t67: {
      children: hasMany('t68', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t66', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t68: {
      children: hasMany('t69', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t67', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t69: {
      children: hasMany('t70', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t68', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t70: {
      children: hasMany('t71', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t69', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t71: {
      children: hasMany('t72', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t70', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t72: {
      children: hasMany('t73', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t71', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t73: {
      children: hasMany('t74', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t72', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t74: {
      children: hasMany('t75', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t73', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t75: {
      children: hasMany('t76', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t74', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t76: {
      children: hasMany('t77', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t75', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t77: {
      children: hasMany('t78', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t76', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t78: {
      children: hasMany('t79', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t77', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t79: {
      children: hasMany('t80', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t78', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t80: {
      children: hasMany('t81', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t79', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t81: {
      children: hasMany('t82', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t80', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t82: {
      children: hasMany('t83', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t81', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t83: {
      children: hasMany('t84', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t82', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t84: {
      children: hasMany('t85', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t83', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t85: {
      children: hasMany('t86', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t84', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t86: {
      children: hasMany('t87', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t85', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t87: {
      children: hasMany('t88', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t86', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t88: {
      children: hasMany('t89', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t87', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t89: {
      children: hasMany('t90', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t88', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t90: {
      children: hasMany('t91', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t89', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t91: {
      children: hasMany('t92', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t90', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t92: {
      children: hasMany('t93', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t91', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t93: {
      children: hasMany('t94', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t92', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t94: {
      children: hasMany('t95', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t93', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t95: {
      children: hasMany('t96', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t94', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t96: {
      children: hasMany('t97', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t95', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t97: {
      children: hasMany('t98', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t96', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t98: {
      children: hasMany('t99', { foreignKey: 'parentId', backPopulates: 'parent' }),
      parent: belongsTo('t97', { foreignKey: 'parentId', backPopulates: 'children' }),
    },
    t99: { parent: belongsTo('t98', { foreignKey: 'parentId', backPopulates: 'children' }) },
  },
)

describe('a 100-table schema', () => {
  it('types includes, joins and selects deep in the graph', () => {
    const q = pipe(
      Q.from(huge, 't50'),
      Q.where((t) => Q.and(Q.eq(t.name, 'x'), Q.gt(t.n, 1))),
      Q.include('children', (c) =>
        pipe(
          c,
          Q.include('children', (g) => pipe(g, Q.include('parent'))),
        ),
      ),
      Q.include('parent'),
    )
    type R = typeof q extends Q.Select<any, infer R, any, any> ? R : never
    expectTypeOf<R['parent']>().toEqualTypeOf<Row<typeof t49> | null>()
    expectTypeOf<R['children'][number]['children'][number]['parent']>().toEqualTypeOf<Row<
      typeof t51
    > | null>()
    // @ts-expect-error t50 has no relationship "child"
    pipe(Q.from(huge, 't50'), Q.include('child'))
    const j = pipe(
      Q.from(t99),
      Q.innerJoin(t98, (a, b) => Q.eq(a.parentId, b.id)),
      Q.leftJoin(t97, (_, c, { t98 }) => Q.eq(t98.parentId, c.id)),
      Q.select((a, { t97 }) => ({ a: a.name, c: t97.note })),
    )
    type J = typeof j extends Q.Select<any, infer R, any, any> ? R : never
    expectTypeOf<J>().toEqualTypeOf<{ readonly a: string; readonly c: string | null }>()
  })
})
