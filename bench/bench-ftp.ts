// `npm run bench:ftp`: Ferry vs `lftp` vs `curl` over explicit FTPS (AUTH TLS, PROT P) to apt's
// vsftpd on loopback (require_ssl_reuse=YES), started by the interop harness.
//  - one big file (FERRY_BENCH_MB, default 1024) down and up, byte-exact checked;
//  - FERRY_BENCH_FILES (default 2000) files of 4 KiB up and down: Ferry with its pool of 4
//    transfer connections vs `lftp mirror --parallel=4` (curl has no parallel mirror).
// Every tool runs as its own process under /usr/bin/time: peak RSS is measured the same way for
// all. "wall" is the whole process; Ferry also reports connect()..close() without Node/tsx
// start-up, which is the figure compared with lftp (whose start-up is a few ms).
// FERRY_BENCH_RUNS (default 5) rounds per direction, the tools interleaved (each round starting with
// the next tool); the median round of each tool is compared, the best is printed beside it.
// Timings swing by up to 2x from round to round here (vsftpd's own processes and the disk).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVsftpd, vsftpdAvailable } from '../test/interop/harness/vsftpd-harness';
import { cliNodeFlags } from './cli-node-flags';

const MB = 1024 * 1024;
const sizeMb = Number(process.env.FERRY_BENCH_MB ?? 1024);
const fileCount = Number(process.env.FERRY_BENCH_FILES ?? 2000);
const runs = Number(process.env.FERRY_BENCH_RUNS ?? 5);
const ROOT = join(import.meta.dirname, '..');

interface Sample {
  readonly wall: number;
  /** Ferry only: connect()..close(). */
  readonly inner?: number;
  readonly rssMb: number;
}

async function timed(cmd: string, args: string[]): Promise<Sample & { stdout: string }> {
  const out = join(work, `time-${process.hrtime.bigint()}.txt`);
  // Dirty pages of the files just written (the source, the last tool's copy) are flushed first,
  // so no tool pays for the writeback of another's data.
  spawnSync('sync');
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', '-o', out, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const wall = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
  const rssKb = Number((await readFile(out, 'utf8')).trim().split('\n').at(-1));
  await rm(out, { force: true });
  return { wall, rssMb: rssKb / 1024, stdout };
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: MB })) h.update(c as Buffer);
  return h.digest('hex');
}

let work = '';
let port = 0;
let pub = '';

const lftpPrelude = (): string =>
  `set ftp:ssl-force true; set ftp:ssl-protect-data true; set ftp:ssl-allow-anonymous true; set ssl:verify-certificate no; set net:max-retries 1; open -u anonymous,x -p ${port} 127.0.0.1`;

async function ferry(op: string, from: string, to: string): Promise<Sample> {
  const r = await timed(process.execPath, [...cliNodeFlags(), '--import', 'tsx', join(ROOT, 'bench/bench-ftp-ferry.ts'), String(port), join(work, 'state'), op, from, to, '4']);
  const inner = (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number }).seconds;
  return { wall: r.wall, inner, rssMb: r.rssMb };
}

const bigTools: Record<string, Record<'download' | 'upload', (local: string, remote: string) => Promise<Sample>>> = {
  ferry: {
    download: (local, remote) => ferry('download', remote, local),
    upload: (local, remote) => ferry('upload', local, remote),
  },
  lftp: {
    download: (local, remote) => timed('lftp', ['-c', `${lftpPrelude()}; get ${remote} -o ${local}`]),
    upload: (local, remote) => timed('lftp', ['-c', `${lftpPrelude()}; put ${local} -o ${remote}`]),
  },
  curl: {
    download: (local, remote) => timed('curl', ['-sS', '--ssl-reqd', '-k', `ftp://127.0.0.1:${port}${remote}`, '-o', local]),
    upload: (local, remote) => timed('curl', ['-sS', '--ssl-reqd', '-k', '-T', local, `ftp://127.0.0.1:${port}${remote}`]),
  },
};

/** The list starting at its `by`-th element (wrapping around). */
function rotate<T>(list: T[], by: number): T[] {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

const secsOf = (s: Sample): number => s.inner ?? s.wall;

/** Median and best time of one tool's rounds, the highest peak RSS, and the whole-process wall time of the median round. */
interface Summary {
  readonly median: number;
  readonly best: number;
  readonly wall: number;
  readonly rssMb: number;
}

function summarize(samples: Sample[]): Summary {
  const sorted = [...samples].sort((a, b) => secsOf(a) - secsOf(b));
  const mid = sorted[(sorted.length - 1) >> 1]!;
  return { median: secsOf(mid), best: secsOf(sorted[0]!), wall: mid.wall, rssMb: Math.max(...samples.map((x) => x.rssMb)) };
}

async function main(): Promise<void> {
  if (!vsftpdAvailable()) {
    console.error('vsftpd is not available: nothing to measure');
    process.exitCode = 1;
    return;
  }
  work = await mkdtemp(join(tmpdir(), 'ferry-bench-ftp-'));
  const server = await startVsftpd({ root: join(work, 'vsftpd') });
  port = server.port;
  pub = server.pub;
  try {
    console.log(`vsftpd explicit FTPS on 127.0.0.1:${port}; ${sizeMb} MiB file; ${fileCount} x 4 KiB files; median and best of ${runs} rounds`);
    const big = join(work, 'big.bin');
    const fh = await open(big, 'w');
    for (let i = 0; i < sizeMb; i += 16) await fh.write(randomBytes(Math.min(16, sizeMb - i) * MB));
    await fh.close();
    const bigHash = await sha256(big);
    await writeFile(join(pub, 'big.bin'), await readFile(big));
    const rows: string[][] = [];
    const results: Record<string, Record<string, Summary>> = {};
    for (const dir of ['download', 'upload'] as const) {
      // Rounds interleave the tools, and each round starts with the next tool, so a slow spell of
      // the machine (or of vsftpd's disk, which is slowest right after set-up) hits them alike;
      // the best round of each tool is kept.
      const samplesOf: Record<string, Sample[]> = {};
      for (let r = 0; r < runs; r++) {
        for (const [name, tool] of rotate(Object.entries(bigTools), r)) {
          const local = join(work, `${name}-${dir}.bin`);
          const remote = dir === 'download' ? '/pub/big.bin' : `/pub/up-${name}.bin`;
          const sample = await tool[dir](dir === 'download' ? local : big, remote);
          (samplesOf[name] ??= []).push(sample);
          console.log(`  round ${r + 1}: ${name} ${dir} ${(sample.inner ?? sample.wall).toFixed(2)} s`);
          const check = dir === 'download' ? local : join(pub, `up-${name}.bin`);
          if ((await sha256(check)) !== bigHash) throw new Error(`${name} ${dir}: the copy differs from the original`);
          await rm(check, { force: true });
        }
      }
      for (const name of Object.keys(bigTools)) {
        const s = summarize(samplesOf[name]!);
        (results[dir] ??= {})[name] = s;
        rows.push([`${sizeMb} MiB ${dir}`, name, (sizeMb * MB / 1e6 / s.median).toFixed(1) + ' MB/s', s.median.toFixed(2), s.best.toFixed(2), s.wall.toFixed(2), s.rssMb.toFixed(0)]);
      }
    }
    // Small files.
    const smallDir = join(work, 'small');
    await mkdir(smallDir);
    for (let i = 0; i < fileCount; i++) await writeFile(join(smallDir, `f${String(i).padStart(5, '0')}.bin`), randomBytes(4096));
    const small: Record<string, Record<string, Summary>> = {};
    const smallRuns: Record<string, Record<'upload' | 'download', () => Promise<Sample>>> = {
      ferry: {
        upload: () => ferry('upload-many', smallDir, '/pub/small-ferry'),
        download: () => ferry('download-many', '/pub/small-ferry', join(work, 'small-ferry-down')),
      },
      lftp: {
        upload: () => timed('lftp', ['-c', `${lftpPrelude()}; mirror -R --parallel=4 ${smallDir} /pub/small-lftp`]),
        download: () => timed('lftp', ['-c', `${lftpPrelude()}; mirror --parallel=4 /pub/small-lftp ${join(work, 'small-lftp-down')}`]),
      },
    };
    for (const dir of ['upload', 'download'] as const) {
      const samplesOf: Record<string, Sample[]> = {};
      for (let r = 0; r < runs; r++) {
        for (const [name, run] of rotate(Object.entries(smallRuns), r)) {
          if (dir === 'upload') await rm(join(pub, `small-${name}`), { recursive: true, force: true });
          else await rm(join(work, `small-${name}-down`), { recursive: true, force: true });
          (samplesOf[name] ??= []).push(await run[dir]());
          const landed = dir === 'upload' ? join(pub, `small-${name}`) : join(work, `small-${name}-down`);
          const count = (await readdir(landed)).length;
          if (count !== fileCount) throw new Error(`${name} small ${dir}: ${count} of ${fileCount} files arrived`);
        }
      }
      for (const name of Object.keys(smallRuns)) {
        const s = summarize(samplesOf[name]!);
        (small[dir] ??= {})[name] = s;
        rows.push([`${fileCount} x 4 KiB ${dir}`, name, (fileCount / s.median).toFixed(0) + ' files/s', s.median.toFixed(2), s.best.toFixed(2), s.wall.toFixed(2), s.rssMb.toFixed(0)]);
      }
    }
    const header = ['case', 'tool', 'rate (median)', 'median s', 'best s', 'wall s', 'peak RSS MB'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(line(header));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows) console.log(line(r));
    const ratio = (a: Summary, b: Summary, k: 'median' | 'best'): string => (b[k] / a[k]).toFixed(2);
    for (const k of ['median', 'best'] as const) {
      console.log(
        `Ferry vs lftp (${k} of ${runs}): big download ${ratio(results.download!.ferry!, results.download!.lftp!, k)}x, big upload ${ratio(results.upload!.ferry!, results.upload!.lftp!, k)}x ` +
          `(target >= 1.0); small upload ${ratio(small.upload!.ferry!, small.upload!.lftp!, k)}x, small download ${ratio(small.download!.ferry!, small.download!.lftp!, k)}x (target >= 1.5)`,
      );
    }
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
