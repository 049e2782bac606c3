// Build ppms.js: bundle and minify src/ with esbuild into the Python package's static files, with
// gzip and brotli copies made once here so the server never compresses it per request.
//   node build.mjs          write src/footfall/web/static/ppms.js (+ .gz, .br)
//   node build.mjs --check  exit 1 when the committed files are not what src/ builds to
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'src', 'footfall', 'web', 'static');
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

const result = await build({
  entryPoints: [join(here, 'src', 'index.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2018'],
  write: false,
  legalComments: 'none',
  banner: { js: `/*! Footfall ppms.js ${version} | AGPL-3.0-or-later */` },
});
const code = Buffer.from(result.outputFiles[0].text);
const gzip = gzipSync(code, { level: 9 });
const brotli = brotliCompressSync(code, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.length },
});
const files = { 'ppms.js': code, 'ppms.js.gz': gzip, 'ppms.js.br': brotli };

if (process.argv.includes('--check')) {
  const path = (name) => join(outDir, name);
  const missing = Object.keys(files).filter((name) => !existsSync(path(name)));
  if (missing.length) {
    console.error(`missing ${missing.join(', ')}: run make tracker`);
    process.exit(1);
  }
  // why: compressed bytes depend on the zlib version; what they decompress to must not.
  const same =
    readFileSync(path('ppms.js')).equals(code) &&
    gunzipSync(readFileSync(path('ppms.js.gz'))).equals(code) &&
    brotliDecompressSync(readFileSync(path('ppms.js.br'))).equals(code);
  if (!same) {
    console.error('src/footfall/web/static/ppms.js is out of date: run make tracker');
    process.exit(1);
  }
  console.log(`ppms.js up to date: ${code.length} B, ${gzip.length} B gzip, ${brotli.length} B brotli`);
} else {
  mkdirSync(outDir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(outDir, name), bytes);
  console.log(`ppms.js: ${code.length} B, ${gzip.length} B gzip, ${brotli.length} B brotli`);
}
