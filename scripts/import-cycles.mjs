#!/usr/bin/env node
// Lists import circles between source files (relative imports and @sauti/* packages resolved to
// their src/). Exits 1 when there is one. Used by `npm run lint`.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const roots = ['apps', 'packages'].flatMap((d) => readdirSync(path.join(root, d)).map((p) => path.join(root, d, p, 'src')));
const files = [];
function walk(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(ts|tsx)$/.test(name) && !/\.(spec|test)\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files.push(p);
  }
}
roots.forEach(walk);
const fileSet = new Set(files);
function resolve(from, spec) {
  let base;
  if (spec.startsWith('.')) base = path.resolve(path.dirname(from), spec);
  else if (spec.startsWith('@sauti/')) {
    const [, pkg, ...rest] = spec.split('/');
    base = path.join(root, 'packages', pkg, 'src', ...(rest.length ? rest : ['index']));
  } else return null;
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) if (fileSet.has(c)) return c;
  return null;
}
const graph = new Map();
const importRe = /(?:^|\n)\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  const deps = new Set();
  for (const m of src.matchAll(importRe)) {
    const r = resolve(f, m[1]);
    if (r && r !== f) deps.add(r);
  }
  for (const m of src.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const r = resolve(f, m[1]);
    if (r && r !== f) deps.add(r);
  }
  graph.set(f, deps);
}
// Tarjan's strongly connected components: every component of more than one file is a circle.
let index = 0;
const stack = [];
const idx = new Map(), low = new Map(), on = new Set();
const circles = [];
function strong(v) {
  idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do { w = stack.pop(); on.delete(w); comp.push(w); } while (w !== v);
    if (comp.length > 1) circles.push(comp);
  }
}
for (const v of graph.keys()) if (!idx.has(v)) strong(v);
for (const c of circles) console.log(`import circle: ${c.map((f) => path.relative(root, f)).sort().join(' <-> ')}`);
console.log(`${circles.length} import circle(s) among ${files.length} source files`);
process.exit(circles.length ? 1 : 0);
