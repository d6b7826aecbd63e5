#!/usr/bin/env node
// `ferry`: runs the bundle that `npm ci` / `npm run build:cli` left in out/cli/ (fast start) while
// every source it was built from still has the content it had then; otherwise (an edited
// checkout, no build) the TypeScript sources through tsx, so stale code never runs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const bundle = new URL('out/cli/ferry.mjs', root);

function bundleIsCurrent() {
  try {
    const { inputs } = JSON.parse(readFileSync(new URL('out/cli/inputs.json', root), 'utf8'));
    if (!Array.isArray(inputs) || inputs.length === 0) return false;
    return inputs.every((i) => createHash('sha256').update(readFileSync(new URL(i.path, root))).digest('hex') === i.sha256);
  } catch {
    return false;
  }
}

if (process.env.FERRY_FROM_SOURCE !== '1' && bundleIsCurrent()) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./ferry.ts');
}
