// `npm run bench:small`: Ferry's `get -r` (defaults) against `lftp mirror --parallel=4` and
// `sftp -r`, same run, same apt OpenSSH sshd on 127.0.0.1: 2000 × 4 KiB files in 20 folders,
// then 100 × 10 MiB. Each tool runs BENCH_ROUNDS times (default 3), interleaved, and the table
// shows the median with the range, since a shared machine makes single runs swing widely.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd } from '../test/interop/harness/sshd-harness';
import { cliNodeFlags } from './cli-node-flags';

const SMALL = { folders: 20, perFolder: 100, size: 4 * 1024 };
const LARGE = { files: Number(process.env.BENCH_LARGE_FILES ?? 100), size: 10 * 1024 * 1024 };
const ROOT = join(import.meta.dirname, '..');
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

interface Result {
  readonly tool: string;
  readonly set: string;
  readonly seconds: number;
  readonly files: number;
  readonly bytes: number;
  readonly rssKiB: number;
}

/** Runs a command under /usr/bin/time; returns wall seconds and peak RSS (KiB). */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ seconds: number; rssKiB: number }> {
  return new Promise((resolve, reject) => {
    // Dirty pages of the files just written (the source, the last tool's copy) are flushed first,
    // so no tool pays for the writeback of another's data.
    spawnSync('sync');
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', cmd, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const rssKiB = Number(err.trim().split('\n').pop());
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`));
      else resolve({ seconds, rssKiB });
    });
  });
}

function countFiles(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name.includes('ferry-part')) continue;
    files++;
    bytes += statSync(join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

function makeData(data: string): void {
  for (let d = 0; d < SMALL.folders; d++) {
    const dir = join(data, 'small', `d${String(d).padStart(2, '0')}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < SMALL.perFolder; f++) writeFileSync(join(dir, `f${String(f).padStart(4, '0')}.bin`), randomBytes(SMALL.size));
  }
  mkdirSync(join(data, 'large'));
  const block = randomBytes(LARGE.size);
  for (let f = 0; f < LARGE.files; f++) {
    block.writeUInt32BE(f, 0);
    writeFileSync(join(data, 'large', `f${String(f).padStart(3, '0')}.bin`), block);
  }
}

async function main(): Promise<void> {
  const sshd = await startSshd({ rekeyLimit: '4G' });
  try {
    makeData(sshd.data);
    const work = join(sshd.dir, 'bench');
    mkdirSync(work);
    const ssh = `ssh -a -x -i ${sshd.userKeyPath} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR`;
    const tools: Record<string, (remote: string, out: string) => Promise<{ seconds: number; rssKiB: number }>> = {
      ferry: (remote, out) =>
        timed(process.execPath, [...cliNodeFlags(), 'main/cli/ferry-bin.js', 'get', '-r', '-i', sshd.userKeyPath, '--accept-new', '--state-dir', join(sshd.dir, 'ferry-state'), `sftp://root@127.0.0.1:${sshd.port}${remote}`, out]),
      'lftp mirror --parallel=4': (remote, out) =>
        timed('lftp', ['-c', `set sftp:connect-program "${ssh}"; set net:max-retries 1; open -u root, sftp://127.0.0.1:${sshd.port}; mirror --parallel=4 ${remote} ${out}`]),
      'sftp -r': (remote, out) =>
        timed('sftp', ['-q', '-r', '-i', sshd.userKeyPath, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-P', String(sshd.port), `root@127.0.0.1:${remote}`, out]),
    };
    // What `npm ci` leaves a user: the bundled CLI, current with the sources (ferry-bin.js would
    // otherwise run the sources through tsx).
    execFileSync(process.execPath, ['main/cli/build-cli.mjs'], { cwd: ROOT, stdio: 'inherit' });
    // The Node options of the `ferry` shebang, as `npx ferry` runs it.
    const startup = await timed(process.execPath, [...cliNodeFlags(), 'main/cli/ferry-bin.js', '--help']);
    const runs: Result[] = [];
    for (const set of ['small', 'large'] as const) {
      for (let round = 0; round < ROUNDS; round++) {
        for (const [tool, run] of Object.entries(tools)) {
          // A fresh folder per run, and the small files' copies kept until the end: ext4 without
          // a journal (this machine's) will not hand out an inode freed in the last minute (six
          // while its inode-table block is dirty) without reading that block first
          // (find_inode_bit -> recently_deleted), so deleting 2000 files right before the next
          // tool creates 2000 made every create scan the freshly freed ones (measured here: Ferry
          // 1.15-1.39 s instead of 0.73-0.81 s, lftp 1.28-1.44 s instead of 0.94-1.09 s). A
          // user's download rarely lands where thousands of files were deleted a minute before.
          const out = join(work, `${set}-${tool.split(' ')[0]}-${round}`);
          const r = await run(join(sshd.data, set), out);
          const got = countFiles(out);
          const want = set === 'small' ? SMALL.folders * SMALL.perFolder : LARGE.files;
          if (got.files !== want) throw new Error(`${tool} copied ${got.files} of ${want} files`);
          runs.push({ tool, set, seconds: r.seconds, files: got.files, bytes: got.bytes, rssKiB: r.rssKiB });
          // The big files' copies (1 GiB a run) go at once; a hundred freed inodes cost nothing.
          if (set === 'large') rmSync(out, { recursive: true, force: true });
          process.stderr.write(`${set} round ${round + 1} ${tool}: ${r.seconds.toFixed(2)} s\n`);
        }
      }
    }
    const results: (Result & { min: number; max: number })[] = [];
    for (const set of ['small', 'large'] as const) {
      for (const tool of Object.keys(tools)) {
        const mine = runs.filter((r) => r.set === set && r.tool === tool).sort((a, b) => a.seconds - b.seconds);
        const mid = mine[Math.floor(mine.length / 2)]!;
        results.push({ ...mid, rssKiB: Math.max(...mine.map((r) => r.rssKiB)), min: mine[0]!.seconds, max: mine.at(-1)!.seconds });
      }
    }
    const lines = [
      `| set | tool | median s (range) | files/s | MB/s | peak RSS MB | vs lftp |`,
      `|---|---|---:|---:|---:|---:|---:|`,
    ];
    for (const r of results) {
      const lftp = results.find((x) => x.set === r.set && x.tool.startsWith('lftp'))!;
      lines.push(
        `| ${r.set === 'small' ? '2000 × 4 KiB' : `${LARGE.files} × 10 MiB`} | ${r.tool} | ${r.seconds.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)}) | ${(r.files / r.seconds).toFixed(0)} | ${(r.bytes / 1e6 / r.seconds).toFixed(1)} | ${(r.rssKiB / 1024).toFixed(0)} | ${(lftp.seconds / r.seconds).toFixed(2)}× |`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n\n${ROUNDS} rounds per tool, interleaved. Ferry's wall time includes ${startup.seconds.toFixed(2)} s of start-up (\`ferry --help\`, the bundled CLI).\nload average at the end: ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).trim()}\n`);
  } finally {
    await sshd.stop();
  }
}

await main();
