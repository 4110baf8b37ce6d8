/** Peer ORMs set up over the bench database, shared by the workloads that use them. */

/** MikroORM over the bookstore's authors/books, with entity schemas (no decorators). */
export const mikro = async (env: { readonly url: string; readonly peer: (name: string) => Promise<any> }) => {
  const { MikroORM } = await env.peer('@mikro-orm/postgresql')
  const { EntitySchema, Collection } = await env.peer('@mikro-orm/core')
  class Author {
    id!: number
    name!: string
    books = new Collection(this)
  }
  class Book {
    id!: number
    title!: string
    author?: Author
  }
  const AuthorSchema = new EntitySchema({
    class: Author,
    tableName: 'authors',
    properties: {
      id: { type: 'number', primary: true },
      name: { type: 'string' },
      books: {
        kind: '1:m',
        entity: () => Book,
        mappedBy: 'author',
        cascade: ['persist', 'remove'],
        orphanRemoval: true,
      },
    },
  })
  const BookSchema = new EntitySchema({
    class: Book,
    tableName: 'books',
    properties: {
      id: { type: 'number', primary: true },
      title: { type: 'string' },
      author: { kind: 'm:1', entity: () => Author, fieldName: 'author_id', nullable: true },
    },
  })
  const u = new URL(env.url)
  const orm = await MikroORM.init({
    entities: [AuthorSchema, BookSchema],
    clientUrl: env.url,
    dbName: u.pathname.slice(1),
    pool: { min: 1, max: 1 },
    debug: false,
    allowGlobalContext: false,
  })
  return { orm, Author, Book }
}
