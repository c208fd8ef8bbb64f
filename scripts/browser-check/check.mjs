// Opens a saferstats report in Debian's real chromium (headless, closed network) and fails on
// console errors, page errors, any network request (the report must be self-contained), broken
// images, charts that did not render, or a page wider than the window. Saves a full-page screenshot.
import { chromium } from 'playwright-core';
import path from 'node:path';

const [, , report, screenshot] = process.argv;
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
const problems = [];
for (const width of [1280, 390]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${width}px: console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${width}px: page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://') && !r.url().startsWith('data:')) problems.push(`${width}px: network request: ${r.url()}`);
  });
  await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });
  const facts = await page.evaluate(() => ({
    title: document.title,
    brokenImages: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
    charts: [...document.querySelectorAll('figure svg')].filter((s) => s.getBoundingClientRect().width > 100).length,
    figures: document.querySelectorAll('figure').length,
    tables: document.querySelectorAll('table').length,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  if (facts.brokenImages.length) problems.push(`${width}px: broken images: ${facts.brokenImages.join(', ')}`);
  if (facts.figures === 0 || facts.charts !== facts.figures) problems.push(`${width}px: ${facts.charts} of ${facts.figures} charts rendered`);
  if (facts.scrollWidth > facts.clientWidth) problems.push(`${width}px: the page is wider than the window (${facts.scrollWidth} > ${facts.clientWidth})`);
  console.log(`${width}px: "${facts.title}": ${facts.charts} charts, ${facts.tables} tables, width ${facts.scrollWidth}/${facts.clientWidth}`);
  if (width === 1280) await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
}
await browser.close();
for (const p of problems) console.error(`browser check: ${p}`);
console.log(problems.length ? `browser check: FAILED (${problems.length} problems)` : `browser check: passed; screenshot ${screenshot}`);
process.exit(problems.length ? 1 : 0);
