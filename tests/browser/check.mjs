// Looks at pages as a visitor's browser does: Debian's chromium driven by puppeteer-core,
// axe-core (WCAG 2.1 A/AA) injected into each page. Prints one JSON object per page and
// width on stdout; tests/test_browser.py judges them.
//
//   node check.mjs CHROMIUM BASE_URL SHOT_DIR WIDTHS PATH[|NAME] ...
//
// WIDTHS is a comma-separated list (1280,390). Screenshots go to SHOT_DIR/NAME-WIDTH.png:
// the whole page, or with NGO_LD_VIEWPORT_SHOTS=1 the first screen (for docs/img/).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [chromium, base, shotDir, widthList, ...targets] = process.argv.slice(2);
const widths = widthList.split(",").map(Number);

// What the page itself says about its layout and its diagrams.
function measure() {
  const doc = document.documentElement;
  const texts = [...document.querySelectorAll("svg text")];
  const sizes = texts.map((t) => {
    const m = t.getScreenCTM();
    const scale = m ? Math.hypot(m.a, m.b) : 1;
    return parseFloat(getComputedStyle(t).fontSize) * scale;
  }).filter((s) => s > 0);
  const wide = [...document.querySelectorAll("body *")].filter((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= doc.clientWidth + 1) return false;
    // inside a box that scrolls on its own: fine
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return false;
    }
    return true;
  }).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className : ""));
  // A line of text that runs out of its box (names are wrapped, so none should).
  const spilled = [...document.querySelectorAll("svg a")].flatMap((a) => {
    const rect = a.querySelector("rect");
    if (!rect) return [];
    const box = rect.getBBox();
    return [...a.querySelectorAll("text")].filter((t) => {
      const b = t.getBBox();
      return b.x + b.width > box.x + box.width + 0.5 || b.y + b.height > box.y + box.height + 0.5;
    }).map((t) => t.textContent);
  });
  return {
    spilled,
    scrollWidth: doc.scrollWidth,
    clientWidth: doc.clientWidth,
    wide,
    svgCount: document.querySelectorAll("svg").length,
    svgTexts: texts.length,
    ellipsised: texts.map((t) => t.textContent).filter((s) => s.includes("…")),
    minTextPx: sizes.length ? Math.min(...sizes) : null,
    svgImgWithLinks: [...document.querySelectorAll('svg[role="img"]')].filter((s) => s.querySelector("a")).length,
    title: document.title,
  };
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  await page.setBypassCSP(true); // the site forbids scripts; axe is ours, not the page's
  for (const target of targets) {
    const cut = target.lastIndexOf("|");
    const [path, name] = cut < 0 ? [target, ""] : [target.slice(0, cut), target.slice(cut + 1)];
    for (const width of widths) {
      await page.setViewport({ width, height: width < 600 ? 844 : 900, deviceScaleFactor: 1 });
      const response = await page.goto(base + path, { waitUntil: "load", timeout: 60000 });
      await page.addScriptTag({ content: axeSource });
      const axe = await page.evaluate(async () => {
        const r = await window.axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
      });
      const facts = await page.evaluate(measure);
      let shot = null;
      if (shotDir && name) {
        shot = `${shotDir}/${name}-${width}.png`;
        await page.screenshot({ path: shot, fullPage: !process.env.NGO_LD_VIEWPORT_SHOTS });
      }

      // On a phone the menu is folded until its toggle is pressed.
      const menu = async () => page.evaluate(() => {
        const nav = document.querySelector("nav.menu");
        return nav ? getComputedStyle(nav).display !== "none" : null;
      });
      facts.menuShown = await menu();
      if (facts.menuShown === false) {
        await page.click("label.menu-label");
        facts.menuShownAfterToggle = await menu();
      }
      console.log(JSON.stringify({ path, name, width, status: response.status(), axe, ...facts, shot }));
    }
  }
} finally {
  await browser.close();
}
