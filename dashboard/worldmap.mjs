// The overview's world map, made at build time from Natural Earth (public domain) as packed by
// world-atlas (1:110m countries, TopoJSON): one SVG path per country in an Equal Earth
// projection, keyed by ISO 3166-1 alpha-2 (what the pipeline stores in location_country_name).
// Antarctica is left out (no visits, a fifth of the height). The server shades and links the
// paths; nothing is fetched at run time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import countries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
const WIDTH = 960;
const HEIGHT = 420;
// features world-atlas gives no ISO number: Kosovo has a user-assigned code geo databases use
const BY_NAME = { Kosovo: 'XK' };

export function worldMap() {
  const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'));
  const land = feature(topology, topology.objects.countries).features
    .filter((f) => f.properties.name !== 'Antarctica');
  const projection = geoEqualEarth().fitSize([WIDTH, HEIGHT], { type: 'FeatureCollection', features: land });
  const path = geoPath(projection).digits(0);
  const shapes = land.map((f) => {
    const code = f.id !== undefined ? countries.numericToAlpha2(f.id) : BY_NAME[f.properties.name];
    return [code || '', f.properties.name, path(f)];
  });
  shapes.sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1]));
  const doc = {
    source: 'Natural Earth 1:110m countries (public domain) via world-atlas 2.0.2; Equal Earth projection',
    width: WIDTH,
    height: HEIGHT,
    countries: shapes,
  };
  return Buffer.from(JSON.stringify(doc) + '\n');
}
