// `npm run bench:sftp`: Ferry vs OpenSSH `sftp -b` vs `lftp` against the apt sshd on loopback,
// same file, same cipher (aes128-gcm@openssh.com), download and upload, MB/s and peak RSS.
// Size: FERRY_BENCH_MB (default 1024). Rounds: FERRY_BENCH_RUNS (default 5), the tools interleaved
// (each round starting with the next tool), the median round of each tool and direction reported.
// FERRY_BENCH_TOOLS=ferry limits the tools ('ceiling' names the server-ceiling references below); FERRY_BENCH_INFLIGHT_MB and FERRY_BENCH_CHUNK (bytes) tune Ferry.
// Every tool runs as a child under /usr/bin/time, so peak RSS is measured the same way for all
// (for sftp and lftp it covers their ssh child too). Times include the SSH handshake; Ferry's
// exclude Node's own start-up (it reports the time from connect() to close()). Client CPU is
// user + system time of the whole child (Node and tsx start-up included), the least noisy figure
// on a shared machine.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startSshd, type SshdInstance } from '../test/interop/harness/sshd-harness';
import { cliNodeFlags } from './cli-node-flags';

const MB = 1024 * 1024;
const sizeMb = Number(process.env.FERRY_BENCH_MB ?? 1024);
const runs = Number(process.env.FERRY_BENCH_RUNS ?? 5);
const CIPHER = 'aes128-gcm@openssh.com';
/** FERRY_BENCH_TOOLS=ferry,lftp runs only those (for quick comparisons while tuning). */
const only = process.env.FERRY_BENCH_TOOLS?.split(',');
const ROOT = join(import.meta.dirname, '..');

interface Sample {
  readonly seconds: number;
  readonly rssMb: number;
  /** Client CPU (user + system) over the whole process, start-up included. */
  readonly cpuSeconds: number;
}

async function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Sample & { stdout: string }> {
  const out = join(benchDir, `time-${Date.now()}.txt`);
  // Dirty pages of the files just written (the source, the last tool's copy) are flushed first,
  // so no tool pays for the writeback of another's data.
  spawnSync('sync');
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', out, cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${cmd} exited with ${code}: ${stderr.slice(-2000)}`);
  const [rssKb, user, sys] = (await readFile(out, 'utf8')).trim().split('\n').at(-1)!.split(' ').map(Number);
  await rm(out, { force: true });
  return { seconds, rssMb: rssKb! / 1024, cpuSeconds: user! + sys!, stdout };
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

let benchDir = '';
let sshd: SshdInstance;

const sshOpts = (): string[] => ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', `Ciphers=${CIPHER}`, '-o', 'Compression=no', '-i', sshd.userKeyPath];

const tools: Record<string, (dir: 'download' | 'upload', from: string, to: string) => Promise<Sample>> = {
  ferry: async (dir, from, to) => {
    const r = await timed(process.execPath, [...cliNodeFlags(), '--import', 'tsx', join(ROOT, 'bench/bench-sftp-ferry.ts'), String(sshd.port), sshd.userKeyPath, join(benchDir, 'state'), dir, from, to, CIPHER]);
    return { ...r, seconds: (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number }).seconds };
  },
  'openssh sftp': async (dir, from, to) => {
    const batch = join(benchDir, 'batch');
    await writeFile(batch, `${dir === 'download' ? 'get' : 'put'} ${from} ${to}\n`);
    return timed('/usr/bin/sftp', ['-q', '-b', batch, ...sshOpts(), '-P', String(sshd.port), 'root@127.0.0.1']);
  },
  lftp: async (dir, from, to) => {
    const connect = `ssh -a -x ${sshOpts().join(' ')}`;
    const cmd = dir === 'download' ? `get ${from} -o ${to}` : `put ${from} -o ${to}`;
    return timed('/usr/bin/lftp', ['-c', `set sftp:connect-program "${connect}"; set cmd:fail-exit yes; open -u root, sftp://127.0.0.1:${sshd.port}; ${cmd}`]);
  },
};

/**
 * What the server can deliver, whatever the client: OpenSSH's own client reading the file into
 * /dev/null (no disk writes), over one connection and over two at once (aggregate rate). If even
 * these stay below a target ratio to `sftp`'s real download, no client can reach it on this
 * machine: the server's processes (sshd and its sftp-server), not the client, set the pace.
 */
const ceilings: Record<string, (from: string) => Promise<number>> = {
  'sftp -> /dev/null': async (from) => (await nullDownloads(from, 1)).seconds,
  '2 x sftp -> /dev/null': async (from) => (await nullDownloads(from, 2)).seconds / 2,
};

/** `count` OpenSSH sftp downloads of `from` into /dev/null at once; the wall time of all of them. */
async function nullDownloads(from: string, count: number): Promise<{ seconds: number }> {
  const batch = join(benchDir, 'batch-null');
  await writeFile(batch, `get ${from} /dev/null\n`);
  spawnSync('sync');
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, async () => {
      const child = spawn('/usr/bin/sftp', ['-q', '-b', batch, ...sshOpts(), '-P', String(sshd.port), 'root@127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((r) => child.on('close', r));
      if (code !== 0) throw new Error(`sftp to /dev/null exited with ${code}: ${stderr.slice(-2000)}`);
    }),
  );
  return { seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  for (const bin of ['/usr/sbin/sshd', '/usr/bin/sftp', '/usr/bin/lftp', '/usr/bin/time']) if (!existsSync(bin)) throw new Error(`${bin} is missing`);
  sshd = await startSshd({ rekeyLimit: 'default none' });
  benchDir = join(sshd.dir, 'bench');
  await mkdir(join(benchDir, 'state'), { recursive: true });
  try {
    const source = join(sshd.data, 'source.bin');
    const fh = await open(source, 'w');
    for (let done = 0; done < sizeMb; done += 16) await fh.write(randomBytes(Math.min(16, sizeMb - done) * MB));
    await fh.close();
    const expected = await sha256(source);
    const bytes = (await stat(source)).size;
    const version = spawnSync('/usr/sbin/sshd', ['-V'], { encoding: 'utf8' }).stderr.split(',')[0]?.trim() || 'sshd';
    const samples: Record<string, { download: Sample[]; upload: Sample[] }> = {};
    const ceilingSeconds: Record<string, number[]> = {};
    const names = Object.keys(tools).filter((n) => !only || only.includes(n));
    for (let run = 0; run < runs; run++) {
      // Each round starts with the next tool, so a slow spell of the machine hits them alike.
      const k = run % names.length;
      for (const name of [...names.slice(k), ...names.slice(0, k)]) {
        const tool = tools[name]!;
        for (const dir of ['download', 'upload'] as const) {
          const from = dir === 'download' ? source : join(benchDir, 'local.bin');
          const to = dir === 'download' ? join(benchDir, 'local.bin') : join(sshd.data, 'uploaded.bin');
          if (dir === 'download') await rm(to, { force: true });
          const sample = await tool(dir, from, to);
          const got = await sha256(to);
          if (got !== expected) throw new Error(`${name} ${dir}: the copy differs from the source`);
          (samples[name] ??= { download: [], upload: [] })[dir].push(sample);
          process.stderr.write(
            `  run ${run + 1}: ${name.padEnd(13)} ${dir.padEnd(8)} ${(bytes / MB / sample.seconds).toFixed(0).padStart(5)} MB/s  ${sample.rssMb.toFixed(0)} MB RSS  ${sample.cpuSeconds.toFixed(2)} s CPU\n`,
          );
        }
      }
      if (!only || only.includes('ceiling')) {
        for (const [name, measure] of Object.entries(ceilings)) {
          const seconds = await measure(source);
          (ceilingSeconds[name] ??= []).push(seconds);
          process.stderr.write(`  run ${run + 1}: ${name.padEnd(21)} ${(bytes / MB / seconds).toFixed(0).padStart(5)} MB/s (per GiB of the server's output)\n`);
        }
      }
    }
    /** The median round (by time), with the highest peak RSS of all rounds. */
    const median = (list: Sample[]): Sample | undefined => {
      if (list.length === 0) return undefined;
      const sorted = [...list].sort((a, b) => a.seconds - b.seconds);
      return { ...sorted[(sorted.length - 1) >> 1]!, rssMb: Math.max(...list.map((x) => x.rssMb)) };
    };
    const summary: Record<string, { download?: Sample; upload?: Sample }> = Object.fromEntries(
      Object.entries(samples).map(([name, e]) => [name, { download: median(e.download), upload: median(e.upload) }]),
    );
    const rate = (s?: Sample) => (s ? bytes / MB / s.seconds : 0);
    const lines = [
      `SFTP benchmark: ${sizeMb} MiB, ${CIPHER}, ${version.split('\n')[0]}, 127.0.0.1, median of ${runs} rounds (MB = MiB)`,
      `| tool | download MB/s | upload MB/s | peak RSS MB | client CPU s (down / up) |`,
      `|---|---:|---:|---:|---:|`,
      ...Object.entries(summary).map(
        ([name, e]) =>
          `| ${name} | ${rate(e.download).toFixed(0)} | ${rate(e.upload).toFixed(0)} | ${Math.max(e.download?.rssMb ?? 0, e.upload?.rssMb ?? 0).toFixed(0)} | ${(e.download?.cpuSeconds ?? 0).toFixed(2)} / ${(e.upload?.cpuSeconds ?? 0).toFixed(2)} |`,
      ),
      `| ferry / sftp | ${(rate(summary.ferry?.download) / rate(summary['openssh sftp']?.download)).toFixed(2)}x | ${(rate(summary.ferry?.upload) / rate(summary['openssh sftp']?.upload)).toFixed(2)}x | | |`,
    ];
    const sftpDown = rate(summary['openssh sftp']?.download);
    if (Object.keys(ceilingSeconds).length > 0) {
      lines.push('', `Server ceiling (OpenSSH sftp into /dev/null, median; 2 x: per GiB of the aggregate):`, '| reference | download MB/s | ÷ sftp download |', '|---|---:|---:|');
      for (const [name, list] of Object.entries(ceilingSeconds)) {
        const sorted = [...list].sort((a, b) => a - b);
        const r = bytes / MB / sorted[(sorted.length - 1) >> 1]!;
        lines.push(`| ${name} | ${r.toFixed(0)} | ${sftpDown ? `${(r / sftpDown).toFixed(2)}x` : ''} |`);
      }
    }
    lines.push('', 'Client CPU and RSS cover each tool and the children it waits for; lftp does not seem to reap its ssh child, so its figures may leave ssh out.');
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await sshd.stop();
  }
}

await main();
