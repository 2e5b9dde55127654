// make bench's page measurement: the finder's page loaded in headless
// Chromium (Debian's, driven by playwright-core from tests/browser), each
// time in a new browser context (an empty cache), on this machine's
// loopback and again on a simulated slow phone connection. For each view it
// reports the time from the start of navigation to the first result on
// screen (median and slowest), the bytes the browser received and the
// number of requests.
//
//   BASE_URL=http://127.0.0.1:8080 RUNS=10 node tests/bench/page.mjs
//
// Prints one line a view and network, tab-separated:
//   page <view> <network> <runs> <median ms> <max ms> <KB received> <requests>

import { chromium } from '../browser/node_modules/playwright-core/index.mjs';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const RUNS = Number(process.env.RUNS || 10);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const VIEWS = [
  ['home (online meetings)', '/'],
  ['meetings near a city', '/?near=Chicago'],
  ['meetings, filtered', '/?near=Chicago&day=today&time=evening&fellowship=aa,na'],
  ['services near a city', '/?tab=services&near=Chicago'],
  ['a meeting\'s detail', null], // a link to the first result of the city search
];

// Chrome DevTools' "Slow 4G" preset, and a phone's slower processor.
const NETWORKS = [
  ['loopback', null],
  ['slow 4G, 4x CPU', { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8, cpu: 4 }],
];

// Records, inside the page, when the first result (or a detail's heading)
// appears, in ms since navigation started.
function watchFirstResult() {
  window.__firstResult = null;
  const seen = () => document.querySelector('#results li.result, #detail-heading');
  const observer = new MutationObserver(() => {
    if (window.__firstResult === null && seen()) {
      window.__firstResult = performance.now();
      observer.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
}

async function once(browser, url, network) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'America/Chicago' });
  const page = await context.newPage();
  let requests = 0;
  page.on('request', () => { requests += 1; });
  if (network) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: network.latency, downloadThroughput: network.downloadThroughput,
      uploadThroughput: network.uploadThroughput,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: network.cpu });
  }
  await page.addInitScript(watchFirstResult);
  await page.goto(url);
  await page.waitForFunction(() => window.__firstResult !== null, null, { timeout: 30000 });
  await page.waitForLoadState('networkidle');
  const result = await page.evaluate(() => {
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    return { ms: window.__firstResult, bytes: entries.reduce((n, e) => n + (e.transferSize || 0), 0) };
  });
  await context.close();
  return { ...result, requests };
}

async function main() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const first = await fetch(`${BASE_URL}/api/v1/meetings?near=Chicago&limit=1`).then((r) => r.json());
    const detail = `/?meeting=${first.meetings[0].id}`;
    // Services are measured only when there are some (BENCH_ONLY without
    // services loads none).
    const services = await fetch(`${BASE_URL}/api/v1/services?near=Chicago&limit=1`).then((r) => r.json());
    const views = VIEWS.filter(([, path]) => !path?.includes('tab=services') || services.count > 0);
    for (const [network, conditions] of NETWORKS) {
      for (const [view, path] of views) {
        const url = BASE_URL + (path ?? detail);
        await once(browser, url, conditions); // warm the server, not the browser
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push(await once(browser, url, conditions));
        const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
        const median = ms[Math.floor(ms.length / 2)];
        const kb = runs[runs.length - 1].bytes / 1024;
        console.log(['page', view, network, RUNS, median.toFixed(0), ms[ms.length - 1].toFixed(0), kb.toFixed(1),
          runs[runs.length - 1].requests].join('\t'));
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(`page bench: ${err.message}`);
  process.exit(1);
});
