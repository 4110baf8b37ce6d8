/** Every workload `npm run bench` runs, in order. Add a workload: one file, one line here. */
import type { Workload } from '../workload.js'
import { w1InsertGraph } from './w1-insert-graph.js'
import { w2InFlight, w2Sequential } from './w2-point-lookups.js'
import { w3EagerLoad } from './w3-eager-load.js'
import { w4CascadeDelete } from './w4-cascade-delete.js'
import { w5Update } from './w5-update.js'

export const workloads: ReadonlyArray<Workload> = [
  w1InsertGraph,
  w2Sequential,
  w2InFlight,
  w3EagerLoad,
  w4CascadeDelete,
  w5Update,
]
