#!/usr/bin/env node
// Groundswell front-end build: plain Node (>= 20), no bundler.
//
//   cd frontend && npm ci && node build.mjs
//
// Copies from node_modules/ only the files a browser needs into
//   src/groundswell/static/vendor/<package>/...
// and our own sources frontend/src/** into
//   src/groundswell/static/groundswell/...
// Both output folders are generated (git-ignored by src/groundswell/static/.gitignore)
// and are wiped and rewritten on every run, so the build is idempotent and never
// leaves stale files behind. Nothing is downloaded here: npm ci fetches the packages
// pinned in package-lock.json, this script only copies.
//
// Vendored JavaScript has its trailing `//# sourceMappingURL=...` comment removed:
// the .map files are not shipped, and Django's ManifestStaticFilesStorage (used by
// WhiteNoise for hashed names) fails collectstatic on references to missing files.

import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const nodeModules = join(here, "node_modules");
const ownSources = join(here, "src");
const staticRoot = resolve(here, "..", "src", "groundswell", "static");
const vendorOut = join(staticRoot, "vendor");
const ownOut = join(staticRoot, "groundswell");

// [source relative to node_modules, destination relative to static/vendor]
// Directories are copied recursively. Each package's licence travels with it.
const VENDOR = [
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet/dist/images", "leaflet/images"],
  ["leaflet/LICENSE", "leaflet/LICENSE"],
  // supercluster 8 ships a self-contained UMD build (kdbush inlined) -> global `Supercluster`.
  ["supercluster/dist/supercluster.min.js", "supercluster/supercluster.min.js"],
  ["supercluster/LICENSE", "supercluster/LICENSE"],
  // UMD build -> global `topojson`.
  ["topojson-client/dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"],
  ["topojson-client/LICENSE", "topojson-client/LICENSE"],
  // Natural Earth countries (public domain) as TopoJSON, object `countries`.
  ["world-atlas/countries-110m.json", "world-atlas/countries-110m.json"],
  ["world-atlas/countries-50m.json", "world-atlas/countries-50m.json"],
  ["world-atlas/LICENSE", "world-atlas/LICENSE"],
  // IIFE build -> global `uPlot`.
  ["uplot/dist/uPlot.iife.min.js", "uplot/uPlot.iife.min.js"],
  ["uplot/dist/uPlot.min.css", "uplot/uPlot.min.css"],
  ["uplot/LICENSE", "uplot/LICENSE"],
];

function fail(message) {
  console.error(`build.mjs: error: ${message}`);
  process.exit(1);
}

function sizeOf(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

function human(bytes) {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
}

function stripSourceMap(path) {
  if (!path.endsWith(".js") && !path.endsWith(".css")) return;
  const text = readFileSync(path, "utf8");
  const stripped = text.replace(/\n?(\/\/# sourceMappingURL=\S+|\/\*# sourceMappingURL=\S+ \*\/)\s*$/, "\n");
  if (stripped !== text) writeFileSync(path, stripped);
}

function copy(src, dest, label) {
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(src, dest, { recursive: true });
  if (!statSync(dest).isDirectory()) stripSourceMap(dest);
  console.log(`copied ${label} -> ${relative(resolve(here, ".."), dest)} (${human(sizeOf(dest))})`);
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

// ---- checks before touching the output ---------------------------------------
if (!existsSync(nodeModules)) {
  fail(`${nodeModules} is missing. Install the pinned packages first: cd frontend && npm ci`);
}
const missing = VENDOR.map(([src]) => src).filter((src) => !existsSync(join(nodeModules, src)));
if (missing.length) {
  fail(
    `missing in node_modules: ${missing.join(", ")}. ` +
      "node_modules is incomplete or out of date: run `npm ci` in frontend/.",
  );
}
if (!existsSync(ownSources)) fail(`${ownSources} is missing.`);

// ---- copy ------------------------------------------------------------------------
rmSync(vendorOut, { recursive: true, force: true });
rmSync(ownOut, { recursive: true, force: true });

for (const [src, dest] of VENDOR) {
  copy(join(nodeModules, src), join(vendorOut, dest), src);
}
for (const file of listFiles(ownSources)) {
  const rel = relative(ownSources, file);
  copy(file, join(ownOut, rel), `src/${rel}`);
}
console.log(`done: ${human(sizeOf(vendorOut))} vendored, ${human(sizeOf(ownOut))} own sources`);
