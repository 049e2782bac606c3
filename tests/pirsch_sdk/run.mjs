// Drives the official Pirsch Node SDK (npm `pirsch-sdk`) for tests/e2e/test_pirsch_sdk.py.
//
//   node run.mjs plan.json   → prints {"writes": {...}, "reads": {...}} as JSON on stdout
//
// plan.json: {baseUrl, hostname, oauth: {clientId, clientSecret}, accessKey,
//             writes: [{client: "oauth"|"key", method, args: [...]}],
//             reads: {filter: {...}, extra: {method: {...filter overrides}}}}
// Errors become {"error": {"name", "code", "message", "body"}} so the test can assert on them.
import pirsch from "pirsch-sdk";

const { Pirsch } = pirsch;
const READS = [
  "domain",
  "sessionDuration",
  "timeOnPage",
  "utmSource",
  "utmMedium",
  "utmCampaign",
  "utmContent",
  "utmTerm",
  "totalVisitors",
  "visitors",
  "entryPages",
  "exitPages",
  "pages",
  "conversionGoals",
  "events",
  "eventMetadata",
  "listEvents",
  "eventPages",
  "growth",
  "activeVisitors",
  "timeOfDay",
  "languages",
  "referrer",
  "os",
  "osVersions",
  "browser",
  "browserVersions",
  "country",
  "region",
  "city",
  "platform",
  "screen",
  "tagKeys",
  "tags",
  "keywords",
  "listFunnel",
  "funnel",
];

function describe(error) {
  return {
    error: {
      name: error?.constructor?.name ?? typeof error,
      code: error?.code ?? null,
      message: error?.message ?? String(error),
      body: error?.data ?? null,
    },
  };
}

async function call(fn) {
  try {
    const result = await fn();
    // the SDK returns (not throws) its PirschApiError for HTTP failures
    if (result instanceof Error) return describe(result);
    return { ok: result ?? null };
  } catch (error) {
    return describe(error);
  }
}

function filterOf(raw) {
  const out = { ...raw };
  for (const key of ["from", "to"]) if (out[key]) out[key] = new Date(out[key]);
  return out;
}

const plan = JSON.parse(await (await import("node:fs/promises")).readFile(process.argv[2], "utf8"));
const common = { baseUrl: plan.baseUrl, hostname: plan.hostname, protocol: "https", timeout: 30000 };
const clients = {};
if (plan.oauth) clients.oauth = new Pirsch({ ...common, ...plan.oauth });
if (plan.accessKey) clients.key = new Pirsch({ ...common, accessToken: plan.accessKey });

const writes = [];
for (const write of plan.writes ?? []) {
  const client = clients[write.client];
  writes.push({ method: write.method, client: write.client, ...(await call(() => client[write.method](...write.args))) });
}

const reads = {};
if (plan.reads) {
  const base = filterOf(plan.reads.filter);
  for (const method of READS) {
    const overrides = (plan.reads.extra ?? {})[method] ?? {};
    const filter = { ...base, ...filterOf(overrides) };
    reads[method] = await call(() => clients.oauth[method](filter));
  }
  if (clients.key) reads.keyTotalVisitors = await call(() => clients.key.totalVisitors(base));
}
process.stdout.write(JSON.stringify({ writes, reads }));
