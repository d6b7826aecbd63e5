/** Human-readable formatting shared by panes, the queue and the log. Pure functions, no DOM. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB"; exact bytes below 1 KiB. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

/** Bytes per second as "12 MiB/s"; empty when idle. */
export function formatRate(bytesPerSec: number): string {
  return bytesPerSec > 0 ? `${formatSize(bytesPerSec)}/s` : '';
}

/** Seconds left as "1:05" or "1:02:03"; empty when unknown. */
export function formatEta(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec) || sec < 0) return '';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Epoch ms as "2026-11-21 23:54", local time; empty when unknown. */
export function formatDate(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Log timestamp "23:54:01.123". */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** Permission bits as "rwxr-xr-x" with the type letter in front; empty when unknown. */
export function formatMode(mode: number | null, type: 'file' | 'dir' | 'symlink' | 'other' = 'file'): string {
  if (mode === null) return '';
  const t = type === 'dir' ? 'd' : type === 'symlink' ? 'l' : '-';
  let s = '';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const bits = (mode >> shift) & 7;
    s += (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (bits & 1 ? 'x' : '-');
  }
  return t + s;
}

/** Mode as a 3-digit octal string, e.g. 0o644 -> "644". */
export function formatOctal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0');
}

/** A message from main shown as a sentence: first letter capitalized (main's texts start lowercase). */
export function sentence(text: string): string {
  return text.length > 0 ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
