/**
 * The tiled transparency log: batched appends, proofs served from its tiles, reopening, and the
 * three ways a log can lie — a tampered tile, a truncated log, a forked checkpoint — each detected
 * with its own code; a writer killed mid-batch loses no acknowledged entry (issue #18).
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransparencyLog } from '../../src/tlog/log.ts';
import { auditLog, compareCheckpoints, openCheckpoint } from '../../src/tlog/audit.ts';
import { parseVerifierKey } from '../../src/tlog/note.ts';
import { formatTlogProof, verifyTlogProof } from '../../src/tlog/proof-text.ts';
import { LogIntegrityError } from '../../src/tlog/errors.ts';
import { decodeLogRecord, encodeLogRecord } from '../../src/tlog/entry.ts';
import { tilePath } from '../../src/tlog/tiles.ts';
import { repo } from '../helpers.ts';

let dir: string;
const enc = (s: string) => new TextEncoder().encode(s);
const fetchFrom = (d: string) => (p: string) => {
  try {
    return new Uint8Array(readFileSync(path.join(d, p)));
  } catch {
    return undefined;
  }
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-tlog-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('TransparencyLog', () => {
  it('appends in batches; every entry has a valid inclusion proof in the C2SP tlog-proof form', async () => {
    const d = path.join(dir, 'a');
    const log = await TransparencyLog.create(d, 'log.example/aigc-test', { batchSize: 100, batchMs: 10 });
    const vkey = parseVerifierKey(log.verifierKey);
    const idx = await Promise.all(Array.from({ length: 1000 }, (_, i) => log.append(enc(`record ${i}`))));
    expect(idx).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const cp = await openCheckpoint(log.checkpoint, vkey);
    expect(cp.size).toBe(1000);
    for (const i of [0, 1, 255, 256, 511, 700, 999]) {
      const text = formatTlogProof({ index: i, proof: log.proveInclusion(i), checkpoint: log.checkpoint });
      expect((await verifyTlogProof(text, enc(`record ${i}`), vkey)).index).toBe(i);
      await expect(verifyTlogProof(text, enc(`record ${i + 1}`), vkey)).rejects.toThrow(/tlog.inclusion.invalid/);
    }
    expect((await auditLog(fetchFrom(d), log.checkpoint, vkey)).findings).toEqual([]);
    await log.close();
  });

  it('reopens where it stopped, and the new checkpoint is consistent with the old one', async () => {
    const d = path.join(dir, 'b');
    let log = await TransparencyLog.create(d, 'log.example/b', { batchMs: 1 });
    await Promise.all(Array.from({ length: 300 }, (_, i) => log.append(enc(`b ${i}`))));
    const old = log.checkpoint;
    await log.close();
    log = await TransparencyLog.open(d, { batchMs: 1 });
    expect(log.size).toBe(300);
    await Promise.all(Array.from({ length: 77 }, (_, i) => log.append(enc(`b ${300 + i}`))));
    const vkey = parseVerifierKey(log.verifierKey);
    const cmp = await compareCheckpoints(old, log.checkpoint, vkey, fetchFrom(d));
    expect(cmp).toMatchObject({ ok: true, findings: [] });
    expect(new TextDecoder().decode(log.reader().entry(350))).toBe('b 350');
    await log.close();
  });

  it('refuses a second writer while the first is open', async () => {
    const d = path.join(dir, 'c');
    const log = await TransparencyLog.create(d, 'log.example/c');
    await expect(TransparencyLog.open(d)).rejects.toThrow(/being written by process/);
    await log.close();
  });

  it('records are fixed-order JSON of hashes and identifiers', () => {
    const r = {
      manifestId: 'urn:c2pa:1',
      storeSha256: 'ab',
      assetHash: 'cd',
      mediaType: 'image/jpeg',
      time: '2026-12-05T00:00:00Z',
      watermarkId: '0123',
    };
    expect(new TextDecoder().decode(encodeLogRecord(r))).toBe(
      '{"v":1,"watermarkId":"0123","manifestId":"urn:c2pa:1","storeSha256":"ab","assetHash":"cd","mediaType":"image/jpeg","time":"2026-12-05T00:00:00Z"}',
    );
    expect(decodeLogRecord(encodeLogRecord(r))).toEqual(r);
    expect(() => encodeLogRecord({ ...r, assetHash: 'XY' })).toThrow(/lower-case hex/);
  });
});

describe('a lying log is caught', () => {
  let d: string;
  let vkey: ReturnType<typeof parseVerifierKey>;
  let checkpoint: string;
  beforeAll(async () => {
    d = path.join(dir, 'honest');
    const log = await TransparencyLog.create(d, 'log.example/honest', { batchMs: 1 });
    await Promise.all(Array.from({ length: 600 }, (_, i) => log.append(enc(`h ${i}`))));
    vkey = parseVerifierKey(log.verifierKey);
    checkpoint = log.checkpoint;
    await log.close();
  });

  it('a tampered entry or tile: tlog.tile.mismatch / tlog.checkpoint.mismatch', async () => {
    const t = path.join(dir, 'tampered');
    await cp(d, t, { recursive: true });
    const bundle = path.join(t, tilePath('entries', 1));
    const bytes = await readFile(bundle);
    bytes[10] ^= 1;
    await writeFile(bundle, bytes);
    expect((await auditLog(fetchFrom(t), checkpoint, vkey)).findings.map((f) => f.code)).toContain('tlog.tile.mismatch');
    const t2 = path.join(dir, 'tampered-tile');
    await cp(d, t2, { recursive: true });
    const tile = path.join(t2, tilePath(1, 0, 2));
    const tb = await readFile(tile);
    tb[0] ^= 1;
    await writeFile(tile, tb);
    const codes = (await auditLog(fetchFrom(t2), checkpoint, vkey)).findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['tlog.tile.mismatch', 'tlog.checkpoint.mismatch']));
    await expect(TransparencyLog.open(t2)).rejects.toThrow(LogIntegrityError);
  });

  it('a truncated log: tlog.truncated', async () => {
    const t = path.join(dir, 'truncated');
    await cp(d, t, { recursive: true });
    await unlink(path.join(t, tilePath('entries', 2, 88)));
    expect((await auditLog(fetchFrom(t), checkpoint, vkey)).findings.map((f) => f.code)).toEqual(['tlog.truncated']);
  });

  it('a forked checkpoint (two histories under the same key): tlog.checkpoint.fork', async () => {
    const f = path.join(dir, 'fork');
    await cp(d, f, { recursive: true });
    const log = await TransparencyLog.open(f, { batchMs: 1 });
    await log.append(enc('history A'));
    const a = log.checkpoint;
    await log.close();
    const g = path.join(dir, 'fork-b');
    await cp(d, g, { recursive: true });
    const log2 = await TransparencyLog.open(g, { batchMs: 1 });
    await log2.append(enc('history B'));
    await log2.append(enc('history B2'));
    const b = log2.checkpoint;
    await log2.close();
    expect((await compareCheckpoints(a, b, vkey, fetchFrom(g))).findings.map((x) => x.code)).toEqual(['tlog.checkpoint.fork']);
    const sameSize = await TransparencyLog.open(f, { batchMs: 1 });
    await sameSize.append(enc('history A2'));
    const a2 = sameSize.checkpoint;
    await sameSize.close();
    expect((await compareCheckpoints(a2, b, vkey)).findings.map((x) => x.code)).toEqual(['tlog.checkpoint.fork']);
    expect((await compareCheckpoints(checkpoint, b, vkey, fetchFrom(g))).ok).toBe(true);
  });

  it('a checkpoint not signed by the log key: tlog.checkpoint.signature', async () => {
    const malformed = checkpoint.replace(/\n\n.*$/s, '\n\n\u2014 log.example/honest AAAAAA==\n');
    expect((await auditLog(fetchFrom(d), malformed, vkey)).findings[0]?.code).toBe('tlog.checkpoint.signature');
    const blob = Buffer.concat([Buffer.from(vkey.keyId), Buffer.alloc(64, 1)]).toString('base64');
    const forged = checkpoint.replace(/\n\n.*$/s, `\n\n\u2014 log.example/honest ${blob}\n`);
    expect((await auditLog(fetchFrom(d), forged, vkey)).findings[0]?.code).toBe('tlog.checkpoint.signature');
    const bigger = checkpoint.replace(/^(.*\n)600\n/, '$1601\n');
    expect((await auditLog(fetchFrom(d), bigger, vkey)).findings[0]?.code).toBe('tlog.checkpoint.signature');
  });
});

describe('crash safety', () => {
  it('a writer killed with SIGKILL mid-batch loses no acknowledged entry and leaves a checkpoint that matches its tiles', async () => {
    const d = path.join(dir, 'crash');
    await (await TransparencyLog.create(d, 'log.example/crash')).close();
    const child = spawn(process.execPath, ['--import', 'tsx', repo('test', 'tlog', 'append-worker.ts'), d], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: number[] = [];
    await new Promise<void>((resolve) => {
      let buf = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const l of lines) acked.push(Number(l));
        if (acked.length >= 3000) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => resolve());
    });
    await new Promise((r) => child.once('exit', r).unref?.() ?? setTimeout(r, 100));
    const log = await TransparencyLog.open(d);
    const vkey = parseVerifierKey(log.verifierKey);
    expect(log.size).toBeGreaterThanOrEqual(Math.max(...acked) + 1);
    const reader = log.reader();
    for (const i of [0, ...acked.filter((_, k) => k % 97 === 0), Math.max(...acked)])
      expect(new TextDecoder().decode(reader.entry(i))).toBe(`entry ${i}`);
    expect((await auditLog(fetchFrom(d), log.checkpoint, vkey)).findings).toEqual([]);
    await log.close();
  });
});
