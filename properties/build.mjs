// Second half of `npm run build` for `origami/properties`: tsc compiled properties/ (and, by
// import, a copy of lib/) under dist/.properties-build; this keeps properties/ only, as
// dist/properties, with its imports of ../lib/... pointed at the main build in dist/.
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const tmp = 'dist/.properties-build'
const out = 'dist/properties'
await rm(out, { recursive: true, force: true })
await rename(join(tmp, 'properties'), out)
await rm(tmp, { recursive: true, force: true })
const walk = async (dir) => {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) await walk(p)
    else if (/\.(js|d\.ts)$/.test(e.name)) {
      const text = await readFile(p, 'utf8')
      await writeFile(p, text.replace(/(['"])((?:\.\.\/)+)lib\//g, '$1$2'))
    }
  }
}
await walk(out)
