// Unit tests of the tracker's pure logic (node --test); the browser tests in tests/browser are
// the main proof of the whole client.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  DOWNLOAD_EXTENSIONS,
  crossDomainValue,
  dimensionsFrom,
  domainMatches,
  getParam,
  hasDownloadExtension,
  heartbeatDelay,
  hostOf,
  isSiteUrl,
  setParam,
  sha1,
  toList,
  toQuery,
  visitorFromCrossDomain,
} from '../src/util.js';

test('sha1 matches node:crypto, including non-ASCII and multi-block input', () => {
  for (const text of ['', 'abc', 'shop.example.com/', 'żółw.pl/ścieżka', 'x'.repeat(200)]) {
    assert.equal(sha1(text), createHash('sha1').update(text, 'utf8').digest('hex'));
  }
});

test('toList accepts "a|b" and arrays', () => {
  assert.deepEqual(toList('zip|rar'), ['zip', 'rar']);
  assert.deepEqual(toList(['7z', 'apk']), ['7z', 'apk']);
  assert.deepEqual(toList(undefined), []);
});

test('setDomains wildcards and paths', () => {
  assert.ok(domainMatches('*.example.com', 'example.com', '/'));
  assert.ok(domainMatches('*.example.com', 'help.example.com', '/'));
  assert.ok(!domainMatches('*.example.com', 'badexample.com', '/'));
  assert.ok(!domainMatches('example.com', 'help.example.com', '/'));
  assert.ok(domainMatches('example.com', 'www.example.com', '/'));
  assert.ok(domainMatches('example.com/data/useful', 'example.com', '/data/useful/page'));
  assert.ok(!domainMatches('example.com/data/useful', 'example.com', '/data/other'));
  assert.ok(isSiteUrl('https://help.piwik.pro/x', ['help.piwik.pro', 'piwik.pro']));
  assert.ok(!isSiteUrl('https://evil.pro/', ['help.piwik.pro', '*.other-domain.pro']));
  assert.equal(hostOf('HTTPS://Shop.Example.com:8080/a?b'), 'shop.example.com');
});

test('download extensions at the end of the path or of a query value', () => {
  const ext = DOWNLOAD_EXTENSIONS;
  for (const url of [
    'http://example.com/file.7z',
    'http://example.com/article/file.7z?source=user#how-to',
    'http://example.com/article?click=file.7z&page=3',
    'http://example.com/article?target=file.7z#how-to',
    'http://example.com/path/file.zip#hello',
  ]) {
    assert.ok(hasDownloadExtension(url, ext), url);
  }
  assert.ok(!hasDownloadExtension('http://example.com/zip', ext));
  assert.ok(!hasDownloadExtension('http://example.com/a.html?x=zip', ext));
  assert.ok(!hasDownloadExtension('http://example.com/a.zip', []));
  assert.ok(ext.includes('xlsx') && ext.includes('torrent') && ext.length === 74);
});

test('query parameters are read and replaced', () => {
  assert.equal(getParam('http://a/?x=1&pk_vid=abc%20d#f', 'pk_vid'), 'abc d');
  assert.equal(getParam('http://a/', 'pk_vid'), '');
  assert.equal(setParam('http://a/p#frag', 'pk_vid', 'v1'), 'http://a/p?pk_vid=v1#frag');
  assert.equal(setParam('http://a/p?pk_vid=old&x=1', 'pk_vid', 'new'), 'http://a/p?x=1&pk_vid=new');
});

test('pk_vid holds the visitor id and a time, valid for the timeout', () => {
  const value = crossDomainValue('0123456789abcdef', 1700000000);
  assert.equal(value, '0123456789abcdef1700000000');
  assert.equal(visitorFromCrossDomain(value, 1700000100, 180), '0123456789abcdef');
  assert.equal(visitorFromCrossDomain(value, 1700000181, 180), '');
  assert.equal(visitorFromCrossDomain('nothex', 1700000000, 180), '');
});

test('heartbeat: first after 15 s, growing, 5 minutes apart at most, last at 30 minutes', () => {
  let at = 0;
  const times = [];
  for (let n = 0; ; n++) {
    const delay = heartbeatDelay(n, at);
    if (delay < 0) break;
    at += delay;
    times.push(at);
  }
  assert.deepEqual(times, [15, 45, 105, 225, 465, 765, 1065, 1365, 1665, 1800]);
});

test('dimensions objects keep only dimensionN keys, percent-decoded', () => {
  assert.deepEqual(dimensionsFrom({ dimension1: 'hello', dimension4: 'nice%20to', other: 'x' }), {
    1: 'hello',
    4: 'nice to',
  });
});

test('toQuery encodes values and skips empty ones', () => {
  assert.equal(toQuery([['a', 'x y'], ['b', undefined], ['c', ''], ['d', 0]]), 'a=x%20y&d=0');
});
