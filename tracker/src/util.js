// Pure helpers of the tracker: no DOM, no globals, so `node --test` covers them directly.

/** The default download extensions of seed 001 §2.1.2 `setDownloadExtensions`. */
export const DOWNLOAD_EXTENSIONS = (
  '7z|aac|apk|arc|arj|asf|asx|avi|azw3|bin|csv|deb|dmg|doc|docx|epub|exe|flv|gif|gz|gzip|hqx|' +
  'ibooks|jar|jpg|jpeg|js|mobi|mp2|mp3|mp4|mpg|mpeg|mov|movie|msi|msp|odb|odf|odg|ods|odt|ogg|' +
  'ogv|pdf|phps|png|ppt|pptx|qt|qtm|ra|ram|rar|rpm|sea|sit|tar|tbz|tbz2|bz|bz2|tgz|torrent|txt|' +
  'wav|wma|wmv|wpd|xls|xlsx|xml|z|zip'
).split('|');

/** "a|b" or ["a", "b"] → ["a", "b"] (the documented argument forms of the list setters). */
export function toList(value) {
  if (value == null || value === '') return [];
  return (Array.isArray(value) ? value : String(value).split('|')).map(String).filter(Boolean);
}

/** SHA-1 hex of a string (UTF-8): the cookie-name hash the Piwik/Matomo trackers use. */
export function sha1(text) {
  const bytes = Array.from(unescape(encodeURIComponent(text)), (c) => c.charCodeAt(0));
  const bitLength = bytes.length * 8;
  bytes.push(0x80);
  while (bytes.length % 64 !== 56) bytes.push(0);
  for (let i = 7; i >= 0; i--) bytes.push(i > 3 ? 0 : (bitLength >>> (i * 8)) & 255);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = [];
  const rotl = (x, n) => (x << n) | (x >>> (32 - n));
  for (let block = 0; block < bytes.length; block += 64) {
    for (let i = 0; i < 80; i++) {
      w[i] =
        i < 16
          ? (bytes[block + i * 4] << 24) |
            (bytes[block + i * 4 + 1] << 16) |
            (bytes[block + i * 4 + 2] << 8) |
            bytes[block + i * 4 + 3]
          : rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    }
    let [a, b, c, d, e] = h;
    for (let i = 0; i < 80; i++) {
      const f =
        i < 20
          ? ((b & c) | (~b & d)) + 0x5a827999
          : i < 40
            ? (b ^ c ^ d) + 0x6ed9eba1
            : i < 60
              ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc
              : (b ^ c ^ d) + 0xca62c1d6;
      const t = (rotl(a, 5) + f + e + w[i]) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    h[0] = (h[0] + a) | 0;
    h[1] = (h[1] + b) | 0;
    h[2] = (h[2] + c) | 0;
    h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0;
  }
  return h.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
}

/** decodeURIComponent that never throws (a malformed escape stays as it was). */
export function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch (e) {
    return text;
  }
}

/** The lower-case host name of an absolute URL ("" when it has none). */
export function hostOf(url) {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]*)/i.exec(url || '');
  return m ? m[1].toLowerCase() : '';
}

function pathOf(url) {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url || '');
  return (m && m[1]) || '/';
}

/**
 * Does `host` + `path` belong to the `setDomains` entry `pattern`?
 * "*.example.com" matches example.com and every subdomain; "example.com/shop" only that path.
 */
export function domainMatches(pattern, host, path) {
  let p = String(pattern).toLowerCase().trim();
  const slash = p.indexOf('/');
  let prefix = '';
  if (slash >= 0) {
    prefix = p.slice(slash);
    p = p.slice(0, slash);
  }
  p = p.replace(/:\d+$/, '');
  host = (host || '').toLowerCase().replace(/^www\./, '');
  const wildcard = /^\*?\./.test(p);
  p = p.replace(/^\*?\./, '').replace(/^www\./, '');
  const hostOk = host === p || (wildcard && host.endsWith('.' + p));
  if (!hostOk) return false;
  if (!prefix || prefix === '/') return true;
  path = path || '/';
  return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : prefix + '/');
}

/** Is `url` on one of `domains` (the site's own hosts, so not an outlink)? */
export function isSiteUrl(url, domains) {
  const host = hostOf(url);
  const path = pathOf(url);
  return domains.some((d) => domainMatches(d, host, path));
}

/** Does `url` point at a file with one of `extensions`, at the end of its path or of a query value? */
export function hasDownloadExtension(url, extensions) {
  if (!extensions.length) return false;
  const ext = extensions.map((e) => e.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const bare = String(url).split('#')[0];
  const q = bare.indexOf('?');
  const path = q < 0 ? bare : bare.slice(0, q);
  const re = new RegExp('\\.(' + ext + ')$', 'i');
  if (re.test(path)) return true;
  if (q < 0) return false;
  return bare
    .slice(q + 1)
    .split('&')
    .some((pair) => re.test(safeDecode(pair.slice(pair.indexOf('=') + 1))));
}

/** The value of query parameter `name` in `url` ("" when absent). */
export function getParam(url, name) {
  const m = new RegExp('[?&]' + name + '=([^&#]*)').exec(url);
  return m ? safeDecode(m[1].replace(/\+/g, ' ')) : '';
}

/** `url` with query parameter `name` set to `value` (replacing an earlier one), before any #. */
export function setParam(url, name, value) {
  const hash = url.indexOf('#');
  const tail = hash < 0 ? '' : url.slice(hash);
  let base = hash < 0 ? url : url.slice(0, hash);
  base = base.replace(new RegExp('([?&])' + name + '=[^&]*&?'), '$1').replace(/[?&]$/, '');
  const sep = base.indexOf('?') < 0 ? '?' : '&';
  return base + sep + name + '=' + encodeURIComponent(value) + tail;
}

/**
 * The cross-domain `pk_vid` value: the 16-hex visitor id followed by the time in seconds
 * (the format of the Matomo 3 / Piwik PRO trackers).
 */
export function crossDomainValue(visitorId, nowSeconds) {
  return visitorId + nowSeconds;
}

/** The visitor id of a `pk_vid` value still inside `timeoutSeconds`, else "". */
export function visitorFromCrossDomain(value, nowSeconds, timeoutSeconds) {
  const m = /^([0-9a-f]{16})(\d{9,11})$/i.exec(value || '');
  if (!m) return '';
  const age = nowSeconds - Number(m[2]);
  return age >= -60 && age <= timeoutSeconds ? m[1].toLowerCase() : '';
}

/**
 * Seconds to wait before heartbeat number `n` (0-based), or -1 when heartbeats are over.
 * Seed 001 `enableHeartBeatTimer`: first after 15 s, growing, capped at 5 minutes between two,
 * and none later than 30 minutes after the page view.
 */
export function heartbeatDelay(n, sincePageViewSeconds) {
  const delay = Math.min(15 * 2 ** n, 300);
  if (sincePageViewSeconds + delay <= 1800) return delay;
  return sincePageViewSeconds < 1799 ? 1800 - sincePageViewSeconds : -1;
}

/** `dimensions` object argument → {id: decoded value}; keys other than "dimensionN" are ignored. */
export function dimensionsFrom(object) {
  const out = {};
  for (const key in object || {}) {
    const m = /^dimension(\d+)$/.exec(key);
    if (m && object[key] != null) out[m[1]] = safeDecode(String(object[key]));
  }
  return out;
}

/** A query string from [[name, value], ...], skipping undefined, null and "" values. */
export function toQuery(pairs) {
  return pairs
    .filter((p) => p[1] !== undefined && p[1] !== null && p[1] !== '')
    .map((p) => p[0] + '=' + encodeURIComponent(p[1]))
    .join('&');
}
