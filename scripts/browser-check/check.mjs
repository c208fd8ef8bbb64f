// Opens a saferstats report in Debian's real chromium (headless, closed network) and fails on
// console errors, page errors, any network request (the report must be self-contained), broken
// images, charts that did not render, or a page wider than the window. At 1280 px the monthly
// tables must fit unclipped with one-line month labels; at 390 px wide tables scroll inside their
// own box and charts scale to the width; the summary fits one 1280 x 900 screen. Then it prints the report to PDF (A4) and fails if any
// page's content is wider than the page. Saves screenshots at 1280 and 390 px and the PDF.
//   node check.mjs REPORT_HTML SCREENSHOT_PNG
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const [, , report, screenshot] = process.argv;
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
const problems = [];
const url = 'file://' + path.resolve(report);
const named = (suffix) => screenshot.replace(/\.png$/, '') + suffix;

/// A page that records every problem it meets, prefixed by `label`.
async function open(label, viewport) {
  const page = await browser.newPage({ viewport });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${label}: console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://') && !r.url().startsWith('data:')) problems.push(`${label}: network request: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/// What the layout looks like: charts, widths, and each wide table's fit.
const measure = () => ({
  title: document.title,
  brokenImages: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
  charts: [...document.querySelectorAll('figure svg')].filter((s) => s.getBoundingClientRect().width > 100).length,
  chartsWiderThanPage: [...document.querySelectorAll('figure svg')]
    .filter((s) => s.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length,
  figures: document.querySelectorAll('figure').length,
  tables: document.querySelectorAll('table').length,
  summaryHeight: document.getElementById('summary')?.getBoundingClientRect().height ?? 0,
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  wraps: [...document.querySelectorAll('.table-wrap')].map((w) => ({
    monthly: w.classList.contains('monthly'),
    scroll: w.scrollWidth,
    client: w.clientWidth,
    overflowX: getComputedStyle(w).overflowX,
  })),
  wrappedMonths: [...document.querySelectorAll('.monthly tbody th')].filter((th) => {
    const line = parseFloat(getComputedStyle(th).lineHeight) || 16;
    const pad = parseFloat(getComputedStyle(th).paddingTop) + parseFloat(getComputedStyle(th).paddingBottom);
    return th.getBoundingClientRect().height - pad > line * 1.5;
  }).map((th) => th.textContent),
});

for (const width of [1280, 390]) {
  const label = `${width}px`;
  const page = await open(label, { width, height: 900 });
  const facts = await page.evaluate(measure);
  if (facts.brokenImages.length) problems.push(`${label}: broken images: ${facts.brokenImages.join(', ')}`);
  if (facts.figures === 0 || facts.charts !== facts.figures) problems.push(`${label}: ${facts.charts} of ${facts.figures} charts rendered`);
  if (facts.chartsWiderThanPage) problems.push(`${label}: ${facts.chartsWiderThanPage} charts wider than the window`);
  if (facts.scrollWidth > facts.clientWidth) problems.push(`${label}: the page is wider than the window (${facts.scrollWidth} > ${facts.clientWidth})`);
  for (const w of facts.wraps) {
    if (w.scroll > w.client && w.overflowX !== 'auto') problems.push(`${label}: a table is clipped without a scroll box`);
  }
  if (width === 1280) {
    const clipped = facts.wraps.filter((w) => w.monthly && w.scroll > w.client);
    if (clipped.length) problems.push(`${label}: ${clipped.length} monthly tables do not fit (${clipped.map((w) => `${w.scroll} > ${w.client}`).join(', ')})`);
    if (facts.summaryHeight > 900) problems.push(`${label}: the summary is taller than one screen (${Math.round(facts.summaryHeight)} > 900 px)`);
    if (facts.wrappedMonths.length) problems.push(`${label}: month labels wrap: ${facts.wrappedMonths.slice(0, 3).join(', ')}`);
  }
  console.log(`${label}: "${facts.title}": ${facts.charts} charts, ${facts.tables} tables, width ${facts.scrollWidth}/${facts.clientWidth}`);
  // The sections of several parts, when the report has them ("Where", "After the crime", "Stop and
  // search"): every figure's chart rendered, and a screenshot of each section alone.
  for (const [id, name] of [['where', 'Where'], ['after-the-crime', 'After the crime'], ['stop-and-search', 'Stop and search']]) {
    const section = page.locator(`#${id}`);
    if (width !== 1280 || !(await section.count())) continue;
    const drawn = await section.evaluate((s) => [...s.querySelectorAll('figure svg')].filter((m) => m.getBoundingClientRect().width > 100).length);
    const figures = await section.evaluate((s) => s.querySelectorAll('figure').length);
    if (drawn !== figures) problems.push(`${label}: ${drawn} of ${figures} figures rendered in "${name}"`);
    await section.screenshot({ path: named(`-${id}.png`) });
    console.log(`${label}: "${name}": ${drawn} figures; ${named(`-${id}.png`)}`);
  }
  await page.screenshot({ path: width === 1280 ? screenshot : named(`-${width}.png`), fullPage: true });
  await page.close();
}

// Print: A4 with the print stylesheet's 12 mm side margins leaves 186 mm (703 px at 96 dpi).
const printable = Math.floor((210 - 24) / 25.4 * 96);
const page = await open('print', { width: printable, height: 1000 });
await page.emulateMedia({ media: 'print' });
const printed = await page.evaluate(measure);
if (printed.scrollWidth > printed.clientWidth) problems.push(`print: content is wider than the page (${printed.scrollWidth} > ${printed.clientWidth} px)`);
const overflowing = printed.wraps.filter((w) => w.scroll > w.client + 1);
if (overflowing.length) problems.push(`print: ${overflowing.length} tables are wider than the page (${overflowing.map((w) => `${w.scroll} > ${w.client}`).join(', ')})`);
if (printed.chartsWiderThanPage) problems.push(`print: ${printed.chartsWiderThanPage} charts wider than the page`);
const pdfPath = named('.pdf');
await page.pdf({ path: pdfPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
const pdf = fs.readFileSync(pdfPath, 'latin1');
const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
if (pages < 2) problems.push(`print: the PDF has ${pages} pages`);
console.log(`print: ${pages} A4 pages, content ${printed.scrollWidth}/${printed.clientWidth} px wide; ${pdfPath}`);
await page.close();

await browser.close();
for (const p of problems) console.error(`browser check: ${p}`);
console.log(problems.length ? `browser check: FAILED (${problems.length} problems)` : `browser check: passed; screenshots ${screenshot}, ${named('-390.png')}`);
process.exit(problems.length ? 1 : 0);
