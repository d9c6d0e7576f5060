// Runs Lighthouse (mobile profile, the default) on pages of a running site as a signed-in person.
// Called by bench/lighthouse.sh, which starts the site and makes the session; see bench/README.md.
//
//   node bench/lighthouse.mjs LH_DIR BASE_URL SESSION_COOKIE OUT_DIR name=/path/ [name=/path/ ...]
//
// LH_DIR is the folder where `npm install lighthouse` was run (its node_modules hold lighthouse,
// chrome-launcher and puppeteer-core). The session is set as a real browser cookie before the runs, so
// every request carries it, the service worker's fetches included (Lighthouse's --extra-headers do not
// reach those: lazy images fetched through the worker came back as the log-in page). Lighthouse clears
// the origin's service workers and caches before each page, never its cookies.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [lhDir, base, session, outDir, ...pages] = process.argv.slice(2);
const require = createRequire(`${lhDir}/package.json`);
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);
const { default: lighthouse } = await load("lighthouse");
const chromeLauncher = await load("chrome-launcher");
const { default: puppeteer } = await load("puppeteer-core");

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const categories = ["performance", "accessibility", "best-practices"];
const rows = [];
try {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
  const page = await browser.newPage();
  await browser.setCookie({ name: "sessionid", value: session, domain: new URL(base).hostname, path: "/", httpOnly: true });
  for (const spec of pages) {
    const [name, path] = spec.split("=");
    let result;
    // A trace now and then comes back without its navigation start (NO_NAVSTART): one more try.
    for (let attempt = 1; attempt <= 2; attempt++) {
      result = await lighthouse(
        base + path,
        { output: ["json", "html"], onlyCategories: categories, logLevel: "error" },
        undefined,
        page,
      );
      if (!result.lhr.runtimeError) break;
      console.error(`${name}: ${result.lhr.runtimeError.message}${attempt === 1 ? " (trying again)" : ""}`);
    }
    const [json, html] = result.report;
    writeFileSync(`${outDir}/${name}.report.json`, json);
    writeFileSync(`${outDir}/${name}.report.html`, html);
    const lhr = result.lhr;
    const final = lhr.finalDisplayedUrl;
    rows.push({
      name,
      path,
      scores: categories.map((c) => lhr.categories[c].score),
      note: new URL(final).pathname === path ? "" : `  (ended at ${final})`,
    });
  }
  await browser.disconnect();
} finally {
  chrome.kill();
}
const cell = (s, w) => String(s === null ? "-" : Math.round(s * 100)).padStart(w);
console.log(`${"page".padEnd(8)} ${"url".padEnd(26)} ${"performance".padStart(12)} ${"accessibility".padStart(14)} ${"best-practices".padStart(15)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(8)} ${r.path.padEnd(26)} ${cell(r.scores[0], 12)} ${cell(r.scores[1], 14)} ${cell(r.scores[2], 15)}${r.note}`);
}
