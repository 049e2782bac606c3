// ppms.js entry: the `_paq` command queue and the `Piwik` global (seed 001 §2.1.2 "Command queue",
// "JavaScript Tracking Client object").

import { createTracker } from './tracker.js';

// why: the snippet pushes trackPageView before setTrackerUrl/setSiteId; configuration commands
// in the queue run first (in this order), the rest in the order they were pushed.
const APPLY_FIRST = [
  'setTrackerUrl',
  'setSiteId',
  'disableCookies',
  'setCookieNamePrefix',
  'setCookieDomain',
  'setCookiePath',
  'setSecureCookie',
  'setVisitorCookieTimeout',
  'setReferralCookieTimeout',
  'setSessionCookieTimeout',
  'setDomains',
  'enableCrossDomainLinking',
  'setCrossDomainLinkingTimeout',
  'customCrossDomainLinkVisitorIdGetter',
  'setUserIsAnonymous',
  'setUserId',
];

(function install(win) {
  if (win.Piwik && win.Piwik.__footfall) return;
  let asyncTracker = null;

  function getAsyncTracker(trackerUrl, siteId) {
    if (!asyncTracker) asyncTracker = createTracker(win, trackerUrl, siteId);
    return asyncTracker;
  }

  function apply(command) {
    const tracker = getAsyncTracker();
    if (!command || !command.length) return;
    const [name, ...args] = command;
    if (typeof name === 'function') {
      name.apply(tracker, args);
    } else if (typeof tracker[name] === 'function') {
      tracker[name](...args);
    } else if (win.console) {
      win.console.error('_paq: unknown command ' + name);
    }
  }

  function applyAll(commands) {
    const rest = Array.from(commands);
    APPLY_FIRST.forEach((first) => {
      for (let i = 0; i < rest.length; ) {
        if (rest[i] && rest[i][0] === first) apply(rest.splice(i, 1)[0]);
        else i++;
      }
    });
    rest.forEach(apply);
  }

  win.Piwik = win.Matomo = {
    __footfall: true,
    getTracker: (trackerUrl, siteId) => createTracker(win, trackerUrl, siteId),
    getAsyncTracker,
  };
  const queued = win._paq || [];
  // why: after loading, _paq.push runs each command at once (seed 001 "Command queue").
  win._paq = { push: (...commands) => (commands.forEach(apply), 0) };
  applyAll(queued);
  ['piwikAsyncInit', 'matomoAsyncInit'].forEach((hook) => {
    if (typeof win[hook] === 'function') win[hook]();
  });
})(window);
