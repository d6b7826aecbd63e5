// `npm run build:cli` (also run by `npm ci` / `npm install` through `prepare`): bundles the CLI's
// own TypeScript (main/ and shared/) into out/cli/ so `ferry` starts without compiling anything.
// Packages stay external (ssh2 loads its native addon from node_modules as usual). Next to the
// bundle goes the SHA-256 of every source file exactly as it was bundled: ferry-bin.js runs the
// bundle only while all of them still match, and the TypeScript sources through tsx otherwise.
// Usage: node main/cli/build-cli.mjs [output folder, default out/cli]
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const outDir = resolve(root, process.argv[2] ?? join('out', 'cli'));
const staging = `${outDir}.${process.pid}.tmp`;

async function main() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write('build-cli: esbuild is not installed; `ferry` will run from the TypeScript sources (slower start)\n');
    return;
  }
  /** Repository-relative path ('/' separators) -> SHA-256 of the bytes handed to esbuild. */
  const hashes = new Map();
  const hashSources = {
    name: 'hash-sources',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        const contents = await readFile(args.path);
        hashes.set(relative(root, args.path).split(sep).join('/'), createHash('sha256').update(contents).digest('hex'));
        return { contents, loader: args.path.endsWith('ts') ? 'ts' : 'js' };
      });
    },
  };
  await rm(staging, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { ferry: 'main/cli/ferry.ts' },
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    plugins: [hashSources],
    logLevel: 'warning',
  });
  const inputs = [...hashes].map(([path, sha256]) => ({ path, sha256 })).sort((a, b) => a.path.localeCompare(b.path));
  await writeFile(join(staging, 'inputs.json'), `${JSON.stringify({ inputs }, null, 1)}\n`);
  // Swap the whole folder: a `ferry` starting meanwhile finds the old build, the new, or none
  // (and then runs the sources).
  await mkdir(dirname(outDir), { recursive: true });
  const old = `${outDir}.${process.pid}.old`;
  await rename(outDir, old).catch(() => undefined);
  await rename(staging, outDir);
  await rm(old, { recursive: true, force: true });
}

await main();
