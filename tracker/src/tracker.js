// The JavaScript Tracking Client object (seed 001 §2.1.2): every documented function, sending the
// Matomo/Piwik PRO tracking parameters of seed 000 and api-notes §11.

import { blockOf, findBlocks, ignoresInteraction, isVisible, readBlock } from './content.js';
import { cookieJar } from './cookies.js';
import {
  DOWNLOAD_EXTENSIONS,
  crossDomainValue,
  dimensionsFrom,
  getParam,
  hasDownloadExtension,
  heartbeatDelay,
  hostOf,
  isSiteUrl,
  safeDecode,
  setParam,
  toList,
  toQuery,
  visitorFromCrossDomain,
} from './util.js';

export const VERSION = '1.0.0';
const FORM_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';
const CAMPAIGN_NAMES = ['pk_campaign', 'piwik_campaign', 'pk_cpn', 'utm_campaign'];
const CAMPAIGN_KEYWORDS = ['pk_kwd', 'pk_keyword', 'piwik_kwd', 'utm_term'];

const nowSeconds = () => Math.floor(Date.now() / 1000);
const randomHex = (n) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, n);
const randomId = () =>
  Array.from(
    crypto.getRandomValues(new Uint8Array(6)),
    (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62],
  ).join('');
const hasClass = (el, list) => list.some((c) => el.classList.contains(c));
const firstParam = (url, names) => names.map((n) => getParam(url, n)).find(Boolean) || '';

/** A tracker sending to `trackerUrl` for app `siteId` from window `win`. */
export function createTracker(win, trackerUrl, siteId) {
  const doc = win.document;
  const nav = win.navigator;
  const loc = doc.location;
  const cfg = {
    trackerUrl: trackerUrl || '',
    siteId: siteId == null ? '' : String(siteId),
    cookiePrefix: '_pk_',
    cookiePath: '/',
    cookieDomain: '',
    secureCookie: false,
    visitorTimeout: 33955200, // 13 months
    referralTimeout: 15768000, // 6 months
    sessionTimeout: 1800,
  };
  const jar = cookieJar(doc, cfg);
  const s = {
    customUrl: '',
    referrer: doc.referrer,
    title: '',
    domains: [loc.hostname],
    method: 'GET',
    contentType: FORM_TYPE,
    processRequest: null,
    cookies: true,
    dropCookies: false,
    anonymous: false,
    strict: false,
    userId: '',
    visitorId: '', // in memory when cookies cannot hold it
    pvId: '',
    pageViewAt: 0,
    dimensions: {},
    cvars: { visit: {}, page: {} },
    cvarCookie: false,
    items: {},
    ecommerceView: null,
    linkTracking: false,
    linkTimer: 500,
    ignoreClasses: ['piwik-ignore', 'piwik_ignore'],
    linkClasses: ['piwik-link', 'piwik_link'],
    downloadClasses: ['piwik-download', 'piwik_download'],
    extensions: DOWNLOAD_EXTENSIONS.slice(),
    crossDomain: false,
    crossDomainChecked: false,
    crossDomainTimeout: 180,
    decorate: (url, value, name) => setParam(url, name, value),
    readVisitorParam: (url, name) => getParam(url, name),
    sampling: 5,
    timingSent: false,
    heartbeat: false,
    beats: 0,
    beatTimer: 0,
    beatPaused: false,
    focused: !doc.hasFocus || doc.hasFocus(),
    errors: false,
    errorsUnique: true,
    errorsSeen: {},
    source: ['jstc', VERSION],
    siteInspector: true,
    contentSeen: {},
    visibleWatch: false,
  };

  // --- visitor, session and referral cookies -------------------------------------------------

  const keepsCookies = () => s.cookies && !s.anonymous && nav.cookieEnabled !== false;

  function adoptCrossDomainVisitor() {
    if (s.crossDomainChecked || !s.crossDomain) return '';
    s.crossDomainChecked = true;
    const ref = doc.referrer;
    // why: only a visitor who arrived from one of our own domains keeps the linked id.
    if (ref && !isSiteUrl(ref, s.domains)) return '';
    return visitorFromCrossDomain(
      s.readVisitorParam(loc.href, 'pk_vid'),
      nowSeconds(),
      s.crossDomainTimeout,
    );
  }

  /** The `_pk_id` values: [id, createTs, visitCount, currentVisitTs, lastVisitTs, lastOrderTs]. */
  function readVisitor() {
    const parts = keepsCookies() ? jar.get('id').split('.') : [];
    const linked = adoptCrossDomainVisitor();
    if (linked) s.visitorId = linked;
    if (/^[0-9a-f]{16}$/.test(parts[0] || '')) {
      const v = { isNew: '0', id: linked || parts[0], createTs: parts[1] || nowSeconds() };
      return Object.assign(v, {
        visitCount: Number(parts[2]) || 0,
        currentTs: parts[3] || '',
        lastTs: parts[4] || '',
        orderTs: parts[5] || '',
      });
    }
    s.visitorId = s.visitorId || randomHex(16);
    const now = nowSeconds();
    return { isNew: '1', id: s.visitorId, createTs: now, visitCount: 0, currentTs: now, lastTs: '', orderTs: '' };
  }

  function writeVisitor(v) {
    if (!keepsCookies()) return;
    const value = [v.id, v.createTs, v.visitCount, v.currentTs, v.lastTs, v.orderTs].join('.');
    jar.set('id', value, cfg.visitorTimeout);
  }

  function deleteAllCookies() {
    ['id', 'ses', 'ref', 'cvar'].forEach(jar.remove);
  }

  /** Referral attribution for a new visit: a campaign in the URL, else an external referrer. */
  function attribution(url, isNewVisit) {
    let stored = [];
    try {
      stored = JSON.parse(jar.get('ref') || '[]');
    } catch (e) {
      stored = [];
    }
    if (isNewVisit && keepsCookies()) {
      const campaign = firstParam(url, CAMPAIGN_NAMES);
      const ref = s.referrer;
      if (campaign || (ref && !isSiteUrl(ref, s.domains))) {
        stored = [campaign, firstParam(url, CAMPAIGN_KEYWORDS), nowSeconds(), ref.slice(0, 1024)];
        jar.set('ref', JSON.stringify(stored), cfg.referralTimeout);
      }
    }
    return stored;
  }

  /** Visit bookkeeping of one request; returns the visitor parameters it carries. */
  function visitorParams(url) {
    const v = readVisitor();
    const now = nowSeconds();
    const newVisit = !keepsCookies() || !jar.get('ses');
    if (newVisit) {
      v.visitCount += 1;
      if (v.isNew === '0') v.lastTs = v.currentTs;
    }
    v.currentTs = now;
    writeVisitor(v);
    if (keepsCookies()) jar.set('ses', '1', cfg.sessionTimeout);
    const ref = attribution(url, newVisit);
    if (!keepsCookies()) return [];
    return [
      ['_id', v.id],
      ['_idts', v.createTs],
      ['_idvc', v.visitCount],
      ['_idn', v.isNew],
      ['_viewts', v.lastTs],
      ['_ects', v.orderTs],
      ['_rcn', ref[0]],
      ['_rck', ref[1]],
      ['_refts', ref[2]],
      ['_ref', ref[3]],
    ];
  }

  // --- building and sending requests ---------------------------------------------------------

  function pageUrl() {
    if (!s.customUrl) return loc.href;
    try {
      return new URL(s.customUrl, loc.href).href;
    } catch (e) {
      return s.customUrl;
    }
  }

  function dimensionParams(extra) {
    const all = Object.assign({}, s.dimensions, dimensionsFrom(extra));
    return Object.keys(all).map((id) => ['dimension' + id, all[id]]);
  }

  const cvarJson = (vars) => (Object.keys(vars).length ? JSON.stringify(vars) : '');

  function buildQuery(params, dimensions) {
    const now = new Date();
    const url = pageUrl();
    const screen = win.screen;
    const pairs = [
      ['idsite', cfg.siteId],
      ['rec', 1],
      ['r', String(Math.random()).slice(2, 8)],
      ['h', now.getHours()],
      ['m', now.getMinutes()],
      ['s', now.getSeconds()],
      ['url', url],
      ['urlref', s.referrer],
      ...params,
      ...visitorParams(url),
      ['uid', s.anonymous ? '' : s.userId],
      ['uia', s.anonymous ? 1 : ''],
      ['res', s.strict ? '' : screen.width * (win.devicePixelRatio || 1) + 'x' + screen.height * (win.devicePixelRatio || 1)],
      // why: browser features (seed 000 plugins), not the tracker's settings: they feed the
      // session hash, which must not change when a visitor leaves anonymous mode
      ['cookie', s.strict ? '' : nav.cookieEnabled ? 1 : 0],
      ['pdf', s.strict ? '' : nav.pdfViewerEnabled ? 1 : 0],
      ['pv_id', s.pvId],
      ['send_image', 0],
      ['ts_n', s.source[0]],
      ['ts_v', s.source[1]],
      ['_cvar', cvarJson(s.cvars.visit)],
      ...dimensionParams(dimensions),
    ];
    return toQuery(pairs);
  }

  function siteInspectorSetup() {
    if (!s.siteInspector || doc.querySelector('meta[name="ppms-site-inspector"]') || !doc.head) {
      return;
    }
    const meta = doc.createElement('meta');
    meta.name = 'ppms-site-inspector';
    meta.content = JSON.stringify({ siteId: cfg.siteId, trackerUrl: cfg.trackerUrl });
    doc.head.appendChild(meta);
  }

  /** Send one request: a beacon when asked (link clicks), else GET, or POST when configured. */
  function send(params, dimensions, beacon, callback) {
    if (!cfg.trackerUrl || !cfg.siteId) return false;
    siteInspectorSetup();
    let query = buildQuery(params, dimensions);
    if (s.processRequest) query = s.processRequest(query);
    if (!query) return false;
    const done = typeof callback === 'function' ? callback : () => {};
    if (beacon && nav.sendBeacon) {
      try {
        // why: URLSearchParams is sent as application/x-www-form-urlencoded, like a form POST
        if (nav.sendBeacon(cfg.trackerUrl, new URLSearchParams(query))) {
          done();
          return true;
        }
      } catch (e) {
        // fall through to fetch
      }
    }
    const post = s.method === 'POST';
    const url = post ? cfg.trackerUrl : cfg.trackerUrl + (/\?/.test(cfg.trackerUrl) ? '&' : '?') + query;
    const init = post
      ? { method: 'POST', body: query, headers: { 'Content-Type': s.contentType }, keepalive: true, credentials: 'omit' }
      : { mode: 'no-cors', keepalive: true, credentials: 'omit' };
    if (win.fetch) {
      win.fetch(url, init).then(done, done);
    } else {
      // why: seed 001 setLinkTrackingTimer: browsers without beacons hold the page a moment.
      new win.Image(1, 1).src = cfg.trackerUrl + '?' + query;
      const until = Date.now() + (beacon ? s.linkTimer : 0);
      while (Date.now() < until);
      done();
    }
    return true;
  }

  /** Several requests in one bulk POST (content impressions), as the collector's bulk format. */
  function sendBulk(paramsList) {
    if (!paramsList.length) return;
    if (paramsList.length === 1) {
      send(paramsList[0]);
      return;
    }
    if (!cfg.trackerUrl || !cfg.siteId) return;
    const requests = paramsList.map((p) => {
      const q = buildQuery(p);
      return '?' + (s.processRequest ? s.processRequest(q) : q);
    });
    win.fetch(cfg.trackerUrl, {
      method: 'POST',
      body: JSON.stringify({ requests }),
      headers: { 'Content-Type': 'text/plain' },
      keepalive: true,
      credentials: 'omit',
    }).catch(() => {});
  }

  // --- page views, heartbeat and page performance --------------------------------------------

  function scheduleHeartbeat() {
    win.clearTimeout(s.beatTimer);
    if (!s.heartbeat || !s.pageViewAt) return;
    const delay = heartbeatDelay(s.beats, (Date.now() - s.pageViewAt) / 1000);
    if (delay < 0) return;
    s.beatTimer = win.setTimeout(() => {
      if (!s.focused) {
        s.beatPaused = true;
        return;
      }
      s.beats += 1;
      send([['ping', 1]]);
      scheduleHeartbeat();
    }, delay * 1000);
  }

  function timingParams() {
    const t = win.performance && win.performance.getEntriesByType('navigation')[0];
    if (!t || !t.loadEventEnd) return null;
    const keys = {
      t_us: 'unloadEventStart', t_ue: 'unloadEventEnd', t_rs: 'redirectStart', t_re: 'redirectEnd',
      t_fs: 'fetchStart', t_ss: 'secureConnectionStart', t_ds: 'domainLookupStart',
      t_cs: 'connectStart', t_ce: 'connectEnd', t_qs: 'requestStart', t_as: 'responseStart',
      t_ae: 'responseEnd', t_dl: 'domInteractive', t_di: 'domInteractive',
      t_ls: 'domContentLoadedEventStart', t_le: 'domContentLoadedEventEnd', t_dc: 'domComplete',
      t_ee: 'loadEventEnd',
    };
    return Object.keys(keys).map((k) => [k, Math.round(t[keys[k]] || 0)]);
  }

  function sendPagePerformance(pvId) {
    const trySend = (attempt) => {
      const params = timingParams();
      if (params) send([['ping', 5], ['pv_id', pvId], ...params]);
      else if (attempt < 20) win.setTimeout(() => trySend(attempt + 1), 250);
    };
    if (doc.readyState === 'complete') win.setTimeout(() => trySend(0), 0);
    else win.addEventListener('load', () => win.setTimeout(() => trySend(0), 0));
  }

  function trackPageView(customTitle, dimensions) {
    if (s.dropCookies) {
      deleteAllCookies();
      s.dropCookies = false;
    }
    s.pvId = randomId();
    s.pageViewAt = Date.now();
    s.beats = 0;
    s.contentSeen = {};
    const view = s.ecommerceView || {};
    s.ecommerceView = null;
    send(
      [
        ['action_name', customTitle || s.title || doc.title],
        ['_pks', view.sku],
        ['_pkn', view.name],
        ['_pkc', Array.isArray(view.category) ? JSON.stringify(view.category) : view.category],
        ['_pkp', view.price],
        ['cvar', cvarJson(s.cvars.page)],
      ],
      dimensions,
    );
    if (!s.timingSent && s.sampling > 0 && Math.random() * 100 < s.sampling) {
      s.timingSent = true;
      sendPagePerformance(s.pvId);
    }
    scheduleHeartbeat();
  }

  // --- links: downloads, outlinks, cross-domain linking --------------------------------------

  function linkType(link) {
    const href = link.href || '';
    if (hasClass(link, s.ignoreClasses) || !/^(https?|ftp):/i.test(href)) return '';
    if (link.hasAttribute('download') || hasClass(link, s.downloadClasses)) return 'download';
    if (hasClass(link, s.linkClasses)) return 'link';
    if (hasDownloadExtension(href, s.extensions)) return 'download';
    return isSiteUrl(href, s.domains) ? '' : 'link';
  }

  function decorateCrossDomain(link) {
    const href = link.href || '';
    if (!s.crossDomain || !/^https?:/i.test(href)) return;
    if (hostOf(href) === loc.hostname.toLowerCase() || !isSiteUrl(href, s.domains)) return;
    const value = crossDomainValue(readVisitor().id, nowSeconds());
    const decorated = s.decorate(href, value, 'pk_vid');
    if (decorated) link.href = decorated;
  }

  function onLinkEvent(event) {
    const link = event.currentTarget;
    if (!s.linkTracking) return;
    if (event.type === 'mousedown') {
      decorateCrossDomain(link);
      return;
    }
    decorateCrossDomain(link);
    const type = linkType(link);
    if (type) trackLink(link.href, type);
  }

  function addListener(element) {
    if (!element || element.__ppmsLink) return;
    element.__ppmsLink = true;
    ['mousedown', 'click', 'auxclick', 'contextmenu'].forEach((t) =>
      element.addEventListener(t, onLinkEvent, true),
    );
  }

  function trackLink(url, type, dimensions, callback) {
    const key = type === 'download' ? 'download' : 'link';
    send([[key, url]], dimensions, true, callback);
  }

  // --- content tracking ----------------------------------------------------------------------

  function contentClick(event) {
    const block = blockOf(event.currentTarget);
    if (block && !ignoresInteraction(block)) trackContentInteractionNode(block, 'click');
  }

  function impressions(blocks, onlyVisible) {
    const batch = [];
    blocks.forEach((block) => {
      if (onlyVisible && !isVisible(block, win)) return;
      const c = readBlock(block);
      const key = c.name + '\n' + c.piece + '\n' + c.target;
      if (s.contentSeen[key]) return;
      s.contentSeen[key] = 1;
      batch.push([['c_n', c.name], ['c_p', c.piece], ['c_t', c.target]]);
      if (!block.__ppmsContent) {
        block.__ppmsContent = true;
        block.addEventListener('click', contentClick);
      }
    });
    sendBulk(batch);
  }

  function afterLoad(fn) {
    if (doc.readyState === 'complete') fn();
    else win.addEventListener('load', fn);
  }

  function trackVisibleContentImpressions(checkOnScroll, watchInterval) {
    if (s.visibleWatch) return;
    s.visibleWatch = true;
    const scan = () => impressions(findBlocks(doc.body), true);
    afterLoad(() => {
      scan();
      if (checkOnScroll !== false) {
        let pending = 0;
        win.addEventListener('scroll', () => {
          if (!pending) pending = win.setTimeout(() => ((pending = 0), scan()), 100);
        });
      }
      const every = watchInterval == null ? 750 : Number(watchInterval);
      if (every > 0) win.setInterval(scan, every);
    });
  }

  function trackContentInteractionNode(node, interaction) {
    const block = blockOf(node);
    if (!block) return;
    const c = readBlock(block);
    send([['c_i', interaction || 'Unknown'], ['c_n', c.name], ['c_p', c.piece], ['c_t', c.target]], null, true);
  }

  // --- errors --------------------------------------------------------------------------------

  function trackError(error) {
    if (!s.errors || !error) return;
    const frame = /(https?:\/\/[^\s)]+):(\d+):(\d+)/.exec(error.stack || '') || [];
    const file = error.filename || frame[1] || loc.href;
    const where = file + ':' + (error.lineno || frame[2] || 0) + ':' + (error.colno || frame[3] || 0);
    const message = String(error.message || error);
    const key = where + '\n' + message;
    if (s.errorsUnique && s.errorsSeen[key]) return;
    s.errorsSeen[key] = 1;
    send([['e_c', 'JavaScript Errors'], ['e_a', where], ['e_n', message]]);
  }

  // --- the public object ---------------------------------------------------------------------

  const api = {
    // page views and configuration
    trackPageView,
    setDocumentTitle: (title) => (s.title = String(title)),
    setCustomUrl: (url) => (s.customUrl = String(url)),
    getCurrentUrl: pageUrl,
    setReferrerUrl: (url) => (s.referrer = String(url)),
    setTrackerUrl: (url) => (cfg.trackerUrl = String(url)),
    getTrackerUrl: () => cfg.trackerUrl,
    setSiteId: (id) => (cfg.siteId = String(id)),
    getSiteId: () => cfg.siteId,
    getPageViewId: () => s.pvId,
    setTimingDataSamplingOnPageLoad: (n) => (s.sampling = Math.max(0, Math.min(100, Number(n) || 0))),
    getTimingDataSamplingOnPageLoad: () => s.sampling,
    enableHeartBeatTimer() {
      s.heartbeat = true;
      scheduleHeartbeat();
    },
    setSiteInspectorSetup: (enable) => (s.siteInspector = !!enable),
    setLinkTrackingTimer: (ms) => (s.linkTimer = Number(ms) || 0),
    getLinkTrackingTimer: () => s.linkTimer,
    setDomains(domains) {
      s.domains = toList(Array.isArray(domains) ? domains : [domains]);
      if (!isSiteUrl(loc.href, s.domains)) s.domains.push(loc.hostname);
    },

    // events, goals, site search
    trackEvent(category, action, name, value, dimensions) {
      if (!category || !action) return;
      send([['e_c', category], ['e_a', action], ['e_n', name], ['e_v', value]], dimensions);
    },
    trackGoal(goalId, revenue, dimensions) {
      if (goalId == null || goalId === '') return;
      send([['idgoal', goalId], ['revenue', revenue]], dimensions);
    },
    trackSiteSearch(keyword, category, resultCount, dimensions) {
      if (!keyword) return;
      const cat = Array.isArray(category) ? JSON.stringify(category) : category;
      send([['search', keyword], ['search_cat', cat], ['search_count', resultCount]], dimensions);
    },

    // e-commerce (Matomo's ecommerce parameters: idgoal=0, ec_items; DATA-MODEL §4.1 rules 6-7)
    addEcommerceItem(sku, name, category, price, quantity) {
      if (sku == null || sku === '') return;
      s.items[sku] = [String(sku), name, category, price, quantity];
    },
    removeEcommerceItem: (sku) => delete s.items[sku],
    clearEcommerceCart: () => (s.items = {}),
    getEcommerceItems: () => JSON.parse(JSON.stringify(s.items)),
    setEcommerceView(sku, name, category, price) {
      s.ecommerceView = { sku: sku == null ? '' : String(sku), name, category, price };
    },
    trackEcommerceCartUpdate(amount) {
      send([['idgoal', 0], ['revenue', amount], ['ec_items', itemsJson()]]);
    },
    trackEcommerceOrder(orderId, grandTotal, subTotal, tax, shipping, discount) {
      if (orderId == null || orderId === '' || grandTotal == null) return;
      const v = readVisitor();
      v.orderTs = nowSeconds();
      writeVisitor(v);
      send([
        ['idgoal', 0], ['ec_id', orderId], ['revenue', grandTotal], ['ec_st', subTotal],
        ['ec_tx', tax], ['ec_sh', shipping], ['ec_dt', discount], ['ec_items', itemsJson()],
      ]);
      s.items = {};
    },

    // custom variables (deprecated) and custom dimensions
    setCustomVariable(index, name, value, scope) {
      if (!(index >= 1) || !name) return;
      const vars = s.cvars[scope === 'page' ? 'page' : 'visit'];
      vars[index] = [String(name).slice(0, 200), String(value == null ? '' : value).slice(0, 200)];
      if (s.cvarCookie && scope !== 'page') jar.set('cvar', JSON.stringify(s.cvars.visit), cfg.sessionTimeout);
    },
    deleteCustomVariable(index, scope) {
      delete s.cvars[scope === 'page' ? 'page' : 'visit'][index];
    },
    getCustomVariable(index, scope) {
      return s.cvars[scope === 'page' ? 'page' : 'visit'][index] || false;
    },
    storeCustomVariablesInCookie() {
      s.cvarCookie = true;
      try {
        s.cvars.visit = Object.assign(JSON.parse(jar.get('cvar') || '{}'), s.cvars.visit);
      } catch (e) {
        // a damaged cookie is replaced on the next write
      }
    },
    setCustomDimensionValue: (id, value) => (s.dimensions[id] = String(value)),
    getCustomDimensionValue: (id) => s.dimensions[id],
    deleteCustomDimension: (id) => delete s.dimensions[id],
    // why: the deprecated pair takes and returns percent-encoded values (seed 001 §2.1.2)
    setCustomDimension: (id, value) => (s.dimensions[id] = safeDecode(String(value))),
    getCustomDimension: (id) => (id in s.dimensions ? encodeURIComponent(s.dimensions[id]) : undefined),

    // content tracking
    trackAllContentImpressions: () => afterLoad(() => impressions(findBlocks(doc.body), false)),
    trackVisibleContentImpressions,
    trackContentImpressionsWithinNode: (node) =>
      afterLoad(() => impressions(findBlocks(node), s.visibleWatch)),
    trackContentImpression(name, piece, target) {
      if (!name) return;
      send([['c_n', name], ['c_p', piece || 'Unknown'], ['c_t', target]]);
    },
    trackContentInteraction(interaction, name, piece, target) {
      if (!name) return;
      send([['c_i', interaction || 'Unknown'], ['c_n', name], ['c_p', piece || 'Unknown'], ['c_t', target]]);
    },
    trackContentInteractionNode,
    logAllContentBlocksOnPage() {
      const blocks = findBlocks(doc.body).map(readBlock);
      win.console && win.console.log(blocks);
      return blocks;
    },

    // downloads and outlinks
    trackLink,
    enableLinkTracking(enable) {
      s.linkTracking = enable !== false;
      if (s.linkTracking) afterDom(() => doc.querySelectorAll('a,area').forEach(addListener));
    },
    disableLinkTracking: () => (s.linkTracking = false),
    addListener(element) {
      s.linkTracking = true;
      addListener(element);
    },
    setIgnoreClasses: (c) => (s.ignoreClasses = ['piwik-ignore', 'piwik_ignore', ...toList(c)]),
    setLinkClasses: (c) => (s.linkClasses = ['piwik-link', 'piwik_link', ...toList(c)]),
    setDownloadClasses: (c) => (s.downloadClasses = ['piwik-download', 'piwik_download', ...toList(c)]),
    setDownloadExtensions: (e) => (s.extensions = toList(e)),
    addDownloadExtensions: (e) => (s.extensions = s.extensions.concat(toList(e))),
    removeDownloadExtensions(e) {
      const drop = toList(e).map((x) => x.toLowerCase());
      s.extensions = s.extensions.filter((x) => !drop.includes(x.toLowerCase()));
    },

    // users and privacy
    setUserId: (id) => (s.userId = id == null ? '' : String(id)),
    resetUserId: () => (s.userId = ''),
    getUserId: () => s.userId,
    setUserIsAnonymous: (anonymous) => (s.anonymous = anonymous !== false),
    deanonymizeUser() {
      s.anonymous = false;
      send([['ping', 4]]);
    },
    setSessionIdStrictPrivacyMode: (strict) => (s.strict = !!strict),
    getVisitorId: () => readVisitor().id,
    getVisitorInfo() {
      const v = readVisitor();
      // index 3 is the number of earlier visits: the current one counts once a request started it
      const previous = keepsCookies() && jar.get('ses') ? v.visitCount - 1 : v.visitCount;
      return [v.isNew, v.id, v.createTs, previous, v.currentTs, v.lastTs, v.orderTs].map(String);
    },

    // cookies
    enableCookies: () => (s.cookies = true),
    disableCookies() {
      s.cookies = false;
      s.dropCookies = true;
    },
    deleteCookies: () => (s.dropCookies = true),
    hasCookies: () => nav.cookieEnabled !== false,
    setCookieNamePrefix: (p) => (cfg.cookiePrefix = String(p)),
    setCookieDomain: (d) => (cfg.cookieDomain = String(d)),
    setCookiePath: (p) => (cfg.cookiePath = String(p)),
    setSecureCookie: (on) => (cfg.secureCookie = !!on),
    setVisitorCookieTimeout: (sec) => (cfg.visitorTimeout = Number(sec)),
    setReferralCookieTimeout: (sec) => (cfg.referralTimeout = Number(sec)),
    setSessionCookieTimeout: (sec) => (cfg.sessionTimeout = Number(sec)),
    setVisitorIdCookie: () => writeVisitor(readVisitor()),

    // cross-domain linking
    enableCrossDomainLinking: () => (s.crossDomain = true),
    disableCrossDomainLinking: () => (s.crossDomain = false),
    isCrossDomainLinkingEnabled: () => s.crossDomain,
    setCrossDomainLinkingTimeout: (sec) => (s.crossDomainTimeout = Number(sec)),
    getCrossDomainLinkingUrlParameter: () =>
      'pk_vid=' + encodeURIComponent(crossDomainValue(readVisitor().id, nowSeconds())),
    customCrossDomainLinkDecorator: (fn) => (s.decorate = fn),
    customCrossDomainLinkVisitorIdGetter: (fn) => (s.readVisitorParam = fn),

    // miscellaneous
    ping: () => send([['ping', 6]]),
    setRequestMethod: (m) => (s.method = String(m).toUpperCase() === 'POST' ? 'POST' : 'GET'),
    setRequestContentType: (t) => (s.contentType = String(t)),
    setCustomRequestProcessing: (fn) => (s.processRequest = typeof fn === 'function' ? fn : null),
    enableJSErrorTracking(unique) {
      if (s.errors) return;
      s.errors = true;
      s.errorsUnique = unique !== false;
      win.addEventListener('error', (e) => trackError(e.error || e));
    },
    trackError,
    getTrackingSource: () => s.source.slice(),
    setTrackingSource(name, version) {
      s.source = [String(name), version == null ? s.source[1] : String(version)];
    },
  };

  function itemsJson() {
    const items = Object.keys(s.items).map((sku) => {
      const i = s.items[sku];
      return [i[0], i[1] || '', i[2] || '', Number(i[3]) || 0, i[4] == null ? 1 : Number(i[4])];
    });
    return JSON.stringify(items);
  }

  function afterDom(fn) {
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', fn);
    else fn();
  }

  win.addEventListener('focus', () => {
    s.focused = true;
    if (s.beatPaused) {
      s.beatPaused = false;
      scheduleHeartbeat();
    }
  });
  win.addEventListener('blur', () => (s.focused = false));
  return api;
}
