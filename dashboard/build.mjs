// Build the dashboard's static files with esbuild into the Python package (committed):
//   node build.mjs          write src/footfall/web/static/dashboard.{js,css} and the world map
//                           src/footfall/data/world_map.json (see worldmap.mjs)
//   node build.mjs --check  exit 1 when the committed files are not what src/ builds to
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { worldMap } from './worldmap.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'src', 'footfall');
const common = { bundle: true, minify: true, write: false, legalComments: 'none' };
const js = await build({
  ...common,
  entryPoints: [join(here, 'src', 'index.js')],
  format: 'iife',
  target: ['es2018'],
  banner: { js: '/*! Footfall dashboard | AGPL-3.0-or-later; uPlot (MIT) */' },
});
const css = await build({ ...common, entryPoints: [join(here, 'src', 'dashboard.css')] });
const files = {
  'web/static/dashboard.js': Buffer.from(js.outputFiles[0].text),
  'web/static/dashboard.css': Buffer.from(css.outputFiles[0].text),
  'data/world_map.json': worldMap(),
};

if (process.argv.includes('--check')) {
  const stale = Object.entries(files).filter(
    ([name, bytes]) => !existsSync(join(outDir, name)) || !readFileSync(join(outDir, name)).equals(bytes),
  );
  if (stale.length) {
    console.error(`${stale.map(([n]) => n).join(', ')} out of date: run make dashboard`);
    process.exit(1);
  }
  console.log(`${Object.keys(files).join(', ')} up to date`);
} else {
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(outDir, name), bytes);
  console.log(Object.entries(files).map(([n, b]) => `${n}: ${b.length} B`).join(', '));
}
