// The overview chart: visitors, sessions and page views per interval, drawn with uPlot from the
// JSON the server embedded in the page. Without JavaScript the same numbers are in a table.
import uPlot from 'uplot';

const SERIES = [
  { label: 'Visitors', var: '--series-1' },
  { label: 'Sessions', var: '--series-2' },
  { label: 'Page views', var: '--series-3' },
];

function parseBucket(label) {
  // "2026-11-01" or "2026-11-01T13:00:00", in the app's timezone: shown as written (UTC clock)
  const [day, time = '00:00:00'] = label.split('T');
  return Date.parse(`${day}T${time}Z`) / 1000;
}

// with a comparison, each metric gets a dashed twin: the comparison range's value of the bucket
// at the same position (the same weekday of the previous period, the same date a year before)
function seriesOf(data, style) {
  const shown = SERIES.map((s, i) => ({
    label: s.label,
    stroke: style.getPropertyValue(s.var).trim(),
    values: data.rows.map((row) => row[i]),
  }));
  if (!data.previous) return shown;
  return shown.concat(SERIES.map((s, i) => ({
    label: `${s.label} (${data.compare.toLowerCase()})`,
    stroke: style.getPropertyValue(s.var).trim(),
    dash: [6, 4],
    values: data.previous.rows.map((row) => (row ? row[i] : null)),
  })));
}

function draw(holder, data) {
  const style = getComputedStyle(document.documentElement);
  const xs = data.labels.map(parseBucket);
  const lines = seriesOf(data, style);
  const width = () => Math.max(holder.clientWidth, 240);
  const options = {
    width: width(),
    height: 240,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    axes: [
      {
        stroke: style.getPropertyValue('--fg'),
        grid: { stroke: style.getPropertyValue('--grid') },
        // ticks on bucket starts (at most 12): dates for days, weeks and months, HH:00 for hours
        splits: () => xs.filter((_, i) => i % Math.ceil(xs.length / 12) === 0),
        values: (u, ticks) => ticks.map((ts) => {
          const iso = new Date(ts * 1000).toISOString();
          return data.interval === 'hour' ? iso.slice(11, 16) : iso.slice(0, 10);
        }),
      },
      { stroke: style.getPropertyValue('--fg'), grid: { stroke: style.getPropertyValue('--grid') } },
    ],
    series: [
      {},
      ...lines.map((s) => ({
        label: s.label,
        stroke: s.stroke,
        width: s.dash ? 1.5 : 2,
        dash: s.dash,
        points: { show: xs.length < 60 && !s.dash },
      })),
    ],
  };
  const plot = new uPlot(options, [xs, ...lines.map((s) => s.values)], holder);
  window.addEventListener('resize', () => plot.setSize({ width: width(), height: 240 }));
  return plot;
}

function start() {
  const holder = document.getElementById('chart');
  const source = document.getElementById('series-data');
  if (!holder || !source) return;
  holder.removeAttribute('hidden');
  const plot = draw(holder, JSON.parse(source.textContent));
  // the drawn series, for tests and for anyone inspecting the page: label → values
  holder.dataset.series = JSON.stringify(plot.series.slice(1).map((s, i) => [s.label, plot.data[i + 1]]));
  holder.dataset.ready = '1';
}

// the custom range inputs only matter for "Custom range": picking dates switches to it
function linkRangePicker() {
  const range = document.getElementById('range');
  for (const id of ['from', 'to']) {
    const input = document.getElementById(id);
    if (range && input) input.addEventListener('change', () => { range.value = 'custom'; });
  }
}

// the realtime panel refreshes itself every 15 s (the server renders the same fragment)
function pollRealtime() {
  const panel = document.getElementById('realtime');
  if (!panel) return;
  setInterval(async () => {
    const current = document.getElementById('realtime');
    const response = await fetch(current.dataset.src, { credentials: 'same-origin' });
    if (!response.ok) return;
    const holder = document.createElement('div');
    holder.innerHTML = await response.text();
    const fresh = holder.querySelector('#realtime');
    if (fresh) current.replaceWith(fresh);
  }, 15000);
}

function ready() {
  start();
  linkRangePicker();
  pollRealtime();
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', ready);
} else {
  ready();
}
