/**
 * Test kit shared by the RIFF (WebP, WAV) and ID3 (MP3, FLAC) handler tests: source
 * modes, materialising plans, fake stores, external decoders, and reference-SDK signing
 * with the generated ES256 test chain.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { decode } from 'cbor-x';
import { BufferSource, type ByteSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { partsToBytes, type Part } from '../../src/binary/parts.ts';
import { makeGb45438Label } from '../../src/labels/implicit/gb45438.ts';
import type { Gb45438Label } from '../../src/labels/implicit/types.ts';
import type { FormatHandler } from '../../src/formats/types.ts';
import { gen } from '../helpers.ts';
import { sdkSign } from '../../scripts/support/sdk.ts';

const run = promisify(execFile);

/** The two source modes every handler test runs through. */
export const SOURCE_MODES = ['buffer', 'file'] as const;
/** One source mode. */
export type SourceMode = (typeof SOURCE_MODES)[number];

/** A scratch directory for one test file; remove with {@link Scratch.cleanup}. */
export class Scratch {
  private constructor(
    readonly dir: string,
    private readonly opened: ByteSource[] = [],
  ) {}
  /** Create a fresh directory under the OS temp dir. */
  static async create(prefix: string): Promise<Scratch> {
    return new Scratch(await mkdtemp(path.join(os.tmpdir(), `aigc-${prefix}-`)));
  }
  /** Path of a file in the directory. */
  file(name: string): string {
    return path.join(this.dir, name);
  }
  /** Write bytes to a file here and return its path. */
  async write(name: string, bytes: Uint8Array): Promise<string> {
    const p = this.file(name);
    await writeFile(p, bytes);
    return p;
  }
  /** A source over `bytes` in the given mode (file mode writes a temp file). */
  async source(bytes: Uint8Array, mode: SourceMode, name = 'src.bin'): Promise<ByteSource> {
    if (mode === 'buffer') return new BufferSource(bytes);
    const src = await FileSource.open(await this.write(`${this.opened.length}-${name}`, bytes));
    this.opened.push(src);
    return src;
  }
  /** Close sources and delete the directory. */
  async cleanup(): Promise<void> {
    for (const s of this.opened) await s.close?.();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A deterministic fake manifest store of `n` bytes (a JUMBF-looking header, then a pattern). */
export function fakeStore(n: number, seed = 1): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  if (n >= 8) b.set([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, 0x6a, 0x75, 0x6d, 0x62], 0);
  return b;
}

/** A sample GB 45438 label (`id` varies the ProduceID). */
export function sampleLabel(id = 'test-0001'): Gb45438Label {
  return makeGb45438Label({
    Label: '1',
    ContentProducer: '001191000000EXAMPLE01P10000',
    ProduceID: id,
    ContentPropagator: '001191000000EXAMPLE01P10000',
    PropagateID: id,
  });
}

/** Result of {@link stamp}. */
export interface Stamped {
  readonly bytes: Uint8Array;
  readonly exclusions: readonly { offset: number; length: number }[];
}

/** Plan an embed over `src`, fill it with `store` (or nothing) and materialise the output. */
export async function stamp(
  handler: FormatHandler,
  src: ByteSource,
  store: Uint8Array | undefined,
  labels?: Parameters<FormatHandler['planEmbed']>[2],
): Promise<Stamped> {
  const plan = await handler.planEmbed(src, store?.length ?? 0, labels);
  const parts: Part[] = plan.fill(store ?? new Uint8Array(0));
  return { bytes: await partsToBytes(src, parts), exclusions: plan.exclusions };
}

/** Materialise parts. */
export async function materialise(src: ByteSource, parts: readonly Part[]): Promise<Uint8Array> {
  return partsToBytes(src, parts);
}

/** Run ffmpeg decoding `file` to nowhere; returns its stderr (empty when the file decodes cleanly). */
export async function ffmpegErrors(file: string): Promise<string> {
  try {
    const { stderr } = await run('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-f', 'null', '-'], { maxBuffer: 4 << 20 });
    return stderr;
  } catch (err) {
    return `ffmpeg failed: ${(err as { stderr?: string }).stderr ?? String(err)}`;
  }
}

/** The format tags ffprobe reports for `file`. */
export async function ffprobeTags(file: string): Promise<Record<string, string>> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', file], { maxBuffer: 4 << 20 });
  return (JSON.parse(stdout) as { format?: { tags?: Record<string, string> } }).format?.tags ?? {};
}

/** The generated ES256 test credentials. */
export async function es256(): Promise<{ chainPem: string; keyPem: string; rootPem: string }> {
  const dir = gen('pki', 'es256');
  return {
    chainPem: await readFile(path.join(dir, 'chain.pem'), 'utf8'),
    keyPem: await readFile(path.join(dir, 'key.pem'), 'utf8'),
    rootPem: await readFile(path.join(dir, 'root.pem'), 'utf8'),
  };
}

/** Sign `input` with the reference SDK (ES256 test chain) into `output`. */
export async function sdkSignFile(input: string, output: string, format: string): Promise<void> {
  const { chainPem, keyPem } = await es256();
  await sdkSign(input, output, { chainPem, keyPem, alg: 'es256', format });
}

/**
 * The `c2pa.hash.data` exclusions inside a manifest store (found by its label, decoded
 * with cbor-x), as `{start, length}` pairs.
 */
export function dataHashExclusions(store: Uint8Array): { start: number; length: number }[] {
  const label = new TextEncoder().encode('c2pa.hash.data\0');
  const at = indexOf(store, label, 0);
  if (at < 0) throw new Error('no c2pa.hash.data assertion in the store');
  const cbor = indexOf(store, new TextEncoder().encode('cbor'), at);
  const len = ((store[cbor - 4]! << 24) >>> 0) + (store[cbor - 3]! << 16) + (store[cbor - 2]! << 8) + store[cbor - 1]!;
  const data = decode(store.subarray(cbor + 4, cbor - 4 + len)) as { exclusions: { start: number; length: number }[] };
  return data.exclusions.map((e) => ({ start: e.start, length: e.length }));
}

/** First index of `needle` in `hay` at or after `from`, or -1. */
export function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.length).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.length), from);
}

/** Byte-for-byte equality (fast; vitest's deep equality walks typed arrays element by element). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** A conformance `decodes` check: ffmpeg decodes the bytes (written to a temp file) without errors. */
export function ffmpegDecodes(ext: string): (bytes: Uint8Array) => Promise<void> {
  return async (bytes) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-decode-'));
    try {
      const file = path.join(dir, `x.${ext}`);
      await writeFile(file, bytes);
      const errors = await ffmpegErrors(file);
      if (errors) throw new Error(`ffmpeg could not decode the output: ${errors}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
