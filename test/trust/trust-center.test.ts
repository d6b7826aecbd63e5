import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrustCenter } from '../../main/trust/trust-center';
import { TrustStore } from '../../main/trust/trust-store';

const OLD = 'SHA256:oldoldoldoldoldoldoldoldoldoldoldoldoldold';
const NEW = 'SHA256:newnewnewnewnewnewnewnewnewnewnewnewnewnew';

let dir: string;
let store: TrustStore;
let center: TrustCenter;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-trustcenter-'));
  store = new TrustStore(dir);
  center = new TrustCenter(store);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('TrustCenter', () => {
  it('lists host keys and certificates sorted, with type, fingerprint and dates, without details', async () => {
    await store.put({ kind: 'certificate', host: 'ftp.example.org', port: 21, type: 'RSA 2048', fingerprint: 'AB:CD', details: { subject: 'CN=ftp' } });
    await store.put({ kind: 'host-key', host: 'B.example.org', port: 22, type: 'ssh-ed25519', fingerprint: OLD });
    await store.put({ kind: 'host-key', host: 'ftp.example.org', port: 22, type: 'ssh-rsa', fingerprint: 'SHA256:x' });
    const list = await center.list();
    expect(list.map((e) => `${e.host}:${e.port} ${e.kind}`)).toEqual(['b.example.org:22 host-key', 'ftp.example.org:21 certificate', 'ftp.example.org:22 host-key']);
    expect(list[0]).toEqual({ kind: 'host-key', host: 'b.example.org', port: 22, type: 'ssh-ed25519', fingerprint: OLD, firstSeen: expect.any(Number), lastUsed: expect.any(Number) });
    expect(list[1]).not.toHaveProperty('details');
    expect(await center.details('certificate', 'ftp.example.org', 21)).toEqual({ subject: 'CN=ftp' });
  });

  it('gives the recorded certificate facts and PEM, nothing else, and refuses unknown entries', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    await store.put({ kind: 'certificate', host: 'ftps.example.org', port: 990, type: 'x509', fingerprint: 'AB:CD', details: { subject: 'CN=ftps', issuer: 'CN=ca', validFrom: 'Jan 1 2026', validTo: 'Jan 1 2027', pem, extra: 'x' } });
    expect(await center.details('certificate', 'FTPS.example.org', 990)).toEqual({ subject: 'CN=ftps', issuer: 'CN=ca', validFrom: 'Jan 1 2026', validTo: 'Jan 1 2027', pem });
    await store.put({ kind: 'host-key', host: 'h.example', port: 22, type: 'ssh-ed25519', fingerprint: OLD });
    expect(await center.details('host-key', 'h.example', 22)).toEqual({});
    await expect(center.details('certificate', 'other.example', 990)).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('removes an entry and refuses to remove one that is not there', async () => {
    await store.put({ kind: 'host-key', host: 'h.example', port: 22, type: 'ssh-ed25519', fingerprint: OLD });
    await center.remove('host-key', 'H.example', 22);
    expect(await center.list()).toEqual([]);
    await expect(center.remove('host-key', 'h.example', 22)).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('replaces a changed key only with the exact reported fingerprint', async () => {
    await store.put({ kind: 'host-key', host: 'h.example', port: 22, type: 'ssh-ed25519', fingerprint: OLD });
    await expect(center.replaceChanged('host-key', 'h.example', 22, NEW)).rejects.toMatchObject({ code: 'invalid-request' });
    center.noteChanged({ kind: 'host-key', host: 'H.EXAMPLE', port: 22, type: 'ssh-ed25519', fingerprint: NEW, previousFingerprint: OLD });
    expect(center.changes()).toMatchObject([{ host: 'h.example', fingerprint: NEW, previousFingerprint: OLD }]);
    await expect(center.replaceChanged('host-key', 'h.example', 22, 'SHA256:attacker')).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(center.replaceChanged('host-key', 'h.example', 2222, NEW)).rejects.toMatchObject({ code: 'invalid-request' });
    const replaced = await center.replaceChanged('host-key', 'h.example', 22, NEW);
    expect(replaced).toMatchObject({ fingerprint: NEW, host: 'h.example' });
    expect((await store.get('host-key', 'h.example', 22))?.fingerprint).toBe(NEW);
    expect(center.changes()).toEqual([]);
    await expect(center.replaceChanged('host-key', 'h.example', 22, NEW)).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('refuses a replacement when the trusted entry changed after the report', async () => {
    await store.put({ kind: 'certificate', host: 'h.example', port: 990, type: 'EC', fingerprint: 'AA' });
    center.noteChanged({ kind: 'certificate', host: 'h.example', port: 990, type: 'EC', fingerprint: 'CC', previousFingerprint: 'AA' });
    await store.put({ kind: 'certificate', host: 'h.example', port: 990, type: 'EC', fingerprint: 'BB' });
    await expect(center.replaceChanged('certificate', 'h.example', 990, 'CC')).rejects.toThrow(/changed meanwhile/);
    expect((await store.get('certificate', 'h.example', 990))?.fingerprint).toBe('BB');
  });

  it('forgets a reported change when the entry is removed, and keeps the report list bounded', async () => {
    await store.put({ kind: 'host-key', host: 'h.example', port: 22, type: 't', fingerprint: OLD });
    center.noteChanged({ kind: 'host-key', host: 'h.example', port: 22, type: 't', fingerprint: NEW, previousFingerprint: OLD });
    await center.remove('host-key', 'h.example', 22);
    expect(center.changes()).toEqual([]);
    for (let i = 0; i < 250; i++) center.noteChanged({ kind: 'host-key', host: `h${i}.example`, port: 22, type: 't', fingerprint: NEW, previousFingerprint: OLD });
    expect(center.changes()).toHaveLength(200);
    expect(center.changes()[199]?.host).toBe('h249.example');
  });
});
