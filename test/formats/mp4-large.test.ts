/**
 * Streaming: a ~200 MB MP4 (the seed's samples followed by filler inside `mdat`) is
 * planned, hashed and written with RSS growth well under 150 MB. Throughput is logged
 * beside a bare node:crypto SHA-256 of the same file (informative, not asserted).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/binary/file-source.ts';
import { iterateParts } from '../../src/binary/parts.ts';
import { mp4Handler } from '../../src/formats/mp4.ts';
import { bmffHashOfSource } from '../../src/binding/bmff-hash.ts';
import { PartsSource } from '../../src/binary/parts-source.ts';
import { makeGb45438Label } from '../../src/labels/implicit/gb45438.ts';
import { ffmpegDecodeErrors, fx, tempDir, topLevel } from './bmff-helpers.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { gen, repo } from '../helpers.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';

const run = promisify(execFile);

const FILLER = 200 * 1024 * 1024;
const MB = 1024 * 1024;
let dir: string;
let big: string;

async function writeChunks(file: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
  const ws = createWriteStream(file);
  for await (const c of chunks) if (!ws.write(c)) await new Promise<void>((r) => ws.once('drain', () => r()));
  await new Promise<void>((resolve, reject) => ws.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** seed.mp4 (moov last) with FILLER zero bytes appended to mdat's payload. */
async function makeBig(file: string): Promise<void> {
  const seed = new Uint8Array(await readFile(fx('seed.mp4')));
  const boxes = topLevel(seed);
  const [, mo, ms] = boxes.find(([t]) => t === 'mdat')!;
  const [, fo, fs] = boxes[boxes.indexOf(boxes.find(([t]) => t === 'mdat')!) - 1]!;
  if (fo + fs !== mo || fs !== 8) throw new Error('seed layout changed: expected free(8) before mdat');
  const header = new Uint8Array(16);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, 1);
  header.set([0x6d, 0x64, 0x61, 0x74], 4);
  dv.setBigUint64(8, BigInt(ms + 8 + FILLER));
  const zeros = new Uint8Array(MB);
  function* pieces(): Generator<Uint8Array> {
    yield seed.subarray(0, fo); // ftyp; free(8) + mdat header become one largesize header
    yield header;
    yield seed.subarray(mo + 8, mo + ms);
    for (let i = 0; i < FILLER / MB; i++) yield zeros;
    yield seed.subarray(mo + ms);
  }
  await writeChunks(file, pieces());
}

/** The ceiling: read the file with one reused buffer and hash it with node:crypto. */
async function bareSha256(file: string): Promise<string> {
  const fh = await open(file, 'r');
  const h = createHash('sha256');
  const b = Buffer.allocUnsafe(MB);
  try {
    for (let pos = 0; ; ) {
      const { bytesRead } = await fh.read(b, 0, MB, pos);
      if (!bytesRead) break;
      h.update(b.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

beforeAll(async () => {
  dir = await tempDir('mp4-large');
  big = path.join(dir, 'big.mp4');
  await makeBig(big);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a ~200 MB MP4', () => {
  it('plans, hashes and writes in bounded memory', async () => {
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      const src = await FileSource.open(big);
      const size = src.size;
      const label = makeGb45438Label({ Label: '1', ContentProducer: '001191000000EXAMPLE01P10000', ProduceID: 'large-1' });
      let t = performance.now();
      const plan = await mp4Handler.planEmbed(src, 20_000, { gb45438: label });
      const planMs = performance.now() - t;
      const parts = plan.fill(new Uint8Array(20_000).fill(1));
      t = performance.now();
      const fromParts = Buffer.from(await bmffHashOfSource(new PartsSource(src, parts))).toString('hex');
      const hashMs = performance.now() - t;
      const out = path.join(dir, 'out.mp4');
      t = performance.now();
      await writeChunks(out, iterateParts(src, parts));
      const writeMs = performance.now() - t;
      await src.close();
      const outSrc = await FileSource.open(out);
      t = performance.now();
      const fromFile = Buffer.from(await bmffHashOfSource(outSrc)).toString('hex');
      const verifyMs = performance.now() - t;
      await outSrc.close();
      t = performance.now();
      await bareSha256(out);
      const bareMs = performance.now() - t;
      expect(fromFile).toBe(fromParts);
      const rate = (ms: number): string => `${(size / MB / (ms / 1000)).toFixed(0)} MB/s`;
      console.log(
        `[mp4-large] ${(size / MB).toFixed(0)} MB: plan ${planMs.toFixed(1)} ms; bmff hash of plan ${rate(hashMs)}; ` +
          `write ${rate(writeMs)}; bmff hash of file ${rate(verifyMs)}; bare sha256 ${rate(bareMs)}; ` +
          `RSS growth ${((peak - rss0) / MB).toFixed(1)} MB`,
      );
    } finally {
      clearInterval(sample);
    }
    expect(peak - rss0).toBeLessThan(150 * MB);
  });

  it('the stamped large file still decodes', async () => {
    expect(await ffmpegDecodeErrors(path.join(dir, 'out.mp4'))).toBe('');
  });
});

/**
 * Run one bench measurement in a fresh process; its peak RSS is that operation's own: one
 * untimed run and one timed run (no time-bounded warm-up: `BENCH_WARM_UP_MS=0`).
 */
async function peakRssMB(op: string, file: string): Promise<number> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', repo('scripts/bench-worker.ts'), op, file, '1'], {
    cwd: repo(),
    env: { ...process.env, BENCH_WARM_UP_MS: '0' },
  });
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { maxRssMB: number }).maxRssMB;
}

describe('stamp() and verify() on the large MP4 (the one-pass streamed path)', () => {
  const pki = gen('pki', 'es256');
  let stamped: string;

  it('stamps from path to path: Trusted in ours and in the SDK', async () => {
    const signer = await loadSigner({ chainPath: path.join(pki, 'chain.pem'), keyPath: path.join(pki, 'key.pem') });
    stamped = path.join(dir, 'stamped.mp4');
    const opts = {
      signer,
      producer: '001191000000EXAMPLE01P10000',
      produceId: 'large-2',
      explicitLabel: false as const,
      when: new Date('2026-11-21T00:00:00Z'),
    };
    await stamp(big, { ...opts, output: stamped });
    const anchorsPem = await readFile(path.join(pki, 'root.pem'), 'utf8');
    const ours = await verify(stamped, { trust: { anchorsPem } });
    expect(ours.validation_state).toBe('Trusted');
    expect(ours.validation_results?.activeManifest.failure).toEqual([]);
    expect(ours.validation_results?.activeManifest.success.map((c) => c.code)).toContain('assertion.bmffHash.match');
    expect(ours.labels.gb45438?.fields.ProduceID).toBe('large-2');
    const sdk = await sdkRead(stamped, { anchorsPem });
    expect(sdk?.validation_state).toBe('Trusted');
    expect(sdk?.validation_results?.activeManifest?.failure).toEqual([]);
    expect(sdk?.validation_results?.activeManifest?.success.map((c) => c.code)).toContain('assertion.bmffHash.match');
  });

  it('keeps peak RSS under 150 MB in a fresh process, stamping and verifying', async () => {
    const stampMB = await peakRssMB('ours-stamp', big);
    const verifyMB = await peakRssMB('ours-verify', stamped);
    console.log(`[mp4-large] peak RSS: stamp ${stampMB.toFixed(0)} MB, verify ${verifyMB.toFixed(0)} MB`);
    expect(stampMB).toBeLessThan(150);
    expect(verifyMB).toBeLessThan(150);
  });
});
