import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

describe('build:cli', () => {
  it('bundles only our sources, records their hashes, and the bundle runs', async () => {
    // Inside the checkout (.tmp is ignored) so the bundle finds node_modules like out/cli does.
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    const base = mkdtempSync(join(ROOT, '.tmp', 'build-cli-'));
    cleanup.push(base);
    const out = join(base, 'cli');
    await run(process.execPath, ['main/cli/build-cli.mjs', out], { cwd: ROOT, timeout: 60_000 });
    const { inputs } = JSON.parse(readFileSync(join(out, 'inputs.json'), 'utf8')) as { inputs: { path: string; sha256: string }[] };
    const paths = inputs.map((i) => i.path);
    expect(paths).toContain('main/cli/ferry.ts');
    expect(paths).toContain('main/transfers/transfer-queue.ts');
    expect(paths.every((p) => p.startsWith('main/') || p.startsWith('shared/'))).toBe(true);
    for (const i of inputs) expect(i.sha256).toBe(sha256(readFileSync(join(ROOT, i.path))));
    // Packages stay external: ssh2 (native addon) is imported, not inlined.
    const code = readdirSync(out)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(join(out, f), 'utf8'))
      .join('\n');
    expect(code).toMatch(/from "ssh2"/);
    expect(code).not.toContain('node_modules/ssh2');
    const help = await run(process.execPath, [join(out, 'ferry.mjs'), '--help'], { cwd: ROOT, timeout: 30_000 });
    expect(help.stdout).toContain('ferry get <url> <local-path>');
    // No staging or old folders are left beside it.
    expect(readdirSync(base)).toEqual(['cli']);
  });
});

describe('ferry-bin.js', () => {
  /** A miniature checkout: the real ferry-bin.js, a source "CLI" and a "bundle" that say which ran. */
  function sandbox(): { root: string; source: string; inputs: string; ferry: (env?: NodeJS.ProcessEnv) => Promise<string> } {
    const root = mkdtempSync(join(tmpdir(), 'ferry-bin-'));
    cleanup.push(root);
    mkdirSync(join(root, 'main', 'cli'), { recursive: true });
    mkdirSync(join(root, 'out', 'cli'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    copyFileSync(join(ROOT, 'main', 'cli', 'ferry-bin.js'), join(root, 'main', 'cli', 'ferry-bin.js'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
    const source = join(root, 'main', 'cli', 'ferry.ts');
    const text = "const from: string = 'source';\nprocess.stdout.write(from);\n";
    writeFileSync(source, text);
    writeFileSync(join(root, 'out', 'cli', 'ferry.mjs'), "process.stdout.write('bundle');\n");
    const inputs = join(root, 'out', 'cli', 'inputs.json');
    writeFileSync(inputs, JSON.stringify({ inputs: [{ path: 'main/cli/ferry.ts', sha256: sha256(text) }] }));
    const ferry = async (env: NodeJS.ProcessEnv = {}): Promise<string> =>
      (await run(process.execPath, [join(root, 'main', 'cli', 'ferry-bin.js')], { env: { ...process.env, FERRY_FROM_SOURCE: '', ...env }, timeout: 30_000 })).stdout;
    return { root, source, inputs, ferry };
  }

  it('runs the bundle while its sources are unchanged', async () => {
    const s = sandbox();
    expect(await s.ferry()).toBe('bundle');
  });

  it('runs the sources through tsx once a source differs from what was bundled', async () => {
    const s = sandbox();
    writeFileSync(s.source, "const from: string = 'source';\nprocess.stdout.write(from + '');\n");
    expect(await s.ferry()).toBe('source');
  });

  it('runs the sources without a build, with a damaged list, or when asked to', async () => {
    const s = sandbox();
    expect(await s.ferry({ FERRY_FROM_SOURCE: '1' })).toBe('source');
    writeFileSync(s.inputs, '{"inputs": [');
    expect(await s.ferry()).toBe('source');
    rmSync(join(s.root, 'out'), { recursive: true });
    expect(await s.ferry()).toBe('source');
  });
});
