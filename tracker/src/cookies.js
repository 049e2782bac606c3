// First-party cookies (seed 001 §2.1.2 "Cookie management"): `_pk_id`, `_pk_ses`, `_pk_ref`,
// `_pk_cvar`, named `<prefix><kind>.<site id>.<hash of cookie domain + path>`.

import { sha1 } from './util.js';

/** A cookie jar bound to the tracker's cookie settings (read live from `cfg`). */
export function cookieJar(doc, cfg) {
  const domainAlias = () => doc.location.hostname.replace(/^www\./, '');
  const cookieDomain = () => (cfg.cookieDomain ? cfg.cookieDomain.replace(/^\*/, '') : '');

  const hashes = {};

  function name(kind) {
    // why: the same hash as the Piwik/Matomo trackers, so existing `_pk_id` cookies stay valid
    // when a site moves to this tracker, and AMP pages can name the cookie (seed 001 §2.4.1).
    const scope = (cookieDomain() || domainAlias()) + (cfg.cookiePath || '/');
    const hash = hashes[scope] || (hashes[scope] = sha1(scope).slice(0, 4));
    return cfg.cookiePrefix + kind + '.' + cfg.siteId + '.' + hash;
  }

  function get(kind) {
    const wanted = name(kind) + '=';
    const found = doc.cookie.split(/;\s*/).find((c) => c.startsWith(wanted));
    return found ? decodeURIComponent(found.slice(wanted.length)) : '';
  }

  function set(kind, value, seconds) {
    const domain = cookieDomain();
    doc.cookie =
      name(kind) +
      '=' +
      encodeURIComponent(value) +
      (seconds != null ? ';expires=' + new Date(Date.now() + seconds * 1000).toUTCString() : '') +
      ';path=' +
      (cfg.cookiePath || '/') +
      (domain ? ';domain=' + domain : '') +
      (cfg.secureCookie ? ';secure' : '') +
      ';SameSite=Lax';
  }

  function remove(kind) {
    set(kind, '', -86400);
  }

  return { name, get, set, remove };
}
