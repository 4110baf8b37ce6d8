/**
 * Grouping items by a key, for the fold: pending rows by table and by the fields they
 * give, named rows by table and by the conditions they carry.
 *
 * @since 0.1.0
 */

/**
 * Items grouped by a key (compared as a Map compares keys: by value for strings, by
 * identity for arrays), each group in the items' order, groups in order of first
 * appearance.
 * Shape: `groupBy(items, key)` → `Map<K, A[]>`. Pure.
 * @category destructors
 * @since 0.1.0
 */
export const groupBy = <A, K>(items: Iterable<A>, key: (a: A) => K): Map<K, A[]> => {
  const out = new Map<K, A[]>()
  for (const a of items) {
    const k = key(a)
    const g = out.get(k)
    if (g === undefined) out.set(k, [a])
    else g.push(a)
  }
  return out
}
