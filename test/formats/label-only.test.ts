/**
 * The containers where C2PA defines no embedding (MKV, WebM, FLV, Ogg Vorbis, Ogg Opus) and
 * WAV's `LIST/INFO` label, end to end: `stamp` writes the label (with its TC260 security
 * data) and no manifest, ffprobe shows the `AIGC` tag and ffmpeg decodes each output to the
 * end; `verify` reads the label, validates its security data and says that C2PA is not
 * defined for the container; `propagate` adds the propagation fields; moved Matroska
 * elements are still indexed correctly; hostile inputs give typed errors.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import { LimitExceededError, MalformedInputError, type ToolkitError, UnsupportedFormatError } from '../../src/errors.ts';
import { detectHandler } from '../../src/formats/registry.ts';
import { flvHandler } from '../../src/formats/flv.ts';
import { mkvHandler } from '../../src/formats/mkv.ts';
import { oggHandler } from '../../src/formats/ogg.ts';
import { childrenOf, readVint } from '../../src/formats/common/ebml.ts';
import type { FormatHandler } from '../../src/formats/types.ts';
import { propagate } from '../../src/service/propagate.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { gen } from '../helpers.ts';
import { CODES, signerFor, tempDir, trust } from '../chain/helpers.ts';
import { LABELS_1 } from './conformance.ts';
import { ffmpegErrors } from './riff-kit.ts';

const run = promisify(execFile);
const codes = (list: readonly { code: string }[]): string[] => list.map((e) => e.code);

/** Every tag ffprobe shows (format and streams), upper-cased keys. */
async function probeTags(file: string): Promise<Record<string, string>> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format_tags:stream_tags', '-of', 'json', file], {
    maxBuffer: 4 << 20,
  });
  const j = JSON.parse(stdout) as { format?: { tags?: Record<string, string> }; streams?: { tags?: Record<string, string> }[] };
  const out: Record<string, string> = {};
  for (const t of [j.format?.tags, ...(j.streams ?? []).map((s) => s.tags)])
    for (const [k, v] of Object.entries(t ?? {})) out[k.toUpperCase()] = v;
  return out;
}

/** Video frames ffmpeg decodes from `file`. */
async function decodedFrames(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'quiet',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=nb_read_frames',
    '-of',
    'csv=p=0',
    file,
  ]);
  return Number(stdout.trim());
}

const CASES: { file: string; family: string; id: string; carrier: string }[] = [
  { file: 'seed.mkv', family: 'label-only', id: 'mkv', carrier: 'Matroska Tags/SimpleTag AIGC' },
  { file: 'seed-cues.mkv', family: 'label-only', id: 'mkv', carrier: 'Matroska Tags/SimpleTag AIGC' },
  { file: 'seed.webm', family: 'label-only', id: 'mkv', carrier: 'Matroska Tags/SimpleTag AIGC' },
  { file: 'seed-keyframes.flv', family: 'label-only', id: 'flv', carrier: 'FLV onMetaData AIGC' },
  { file: 'seed.ogg', family: 'label-only', id: 'ogg', carrier: 'Vorbis comment AIGC (Ogg)' },
  { file: 'seed.opus', family: 'label-only', id: 'ogg', carrier: 'OpusTags AIGC' },
  { file: 'seed.wav', family: 'audio', id: 'wav', carrier: 'RIFF LIST/INFO AIGC' },
];

let tmp: Awaited<ReturnType<typeof tempDir>>;
let producer: Signer;
let platform: Signer;

beforeAll(async () => {
  tmp = await tempDir('label-only');
  [producer, platform] = await Promise.all([signerFor('es256'), signerFor('platform-a')]);
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('label-only containers end to end', () => {
  for (const c of CASES) {
    it(`${c.file}: stamp → ffprobe shows AIGC, ffmpeg decodes to the end, verify checks the label; propagate adds its fields`, async () => {
      const out = tmp.file(`stamped-${c.file}`);
      const r = await stamp(gen(c.family, c.file), { signer: producer, producer: CODES.producer, explicitLabel: false, output: out });
      const tags = await probeTags(out);
      expect(JSON.parse(tags.AIGC!)).toEqual(r.label);
      expect(await ffmpegErrors(out)).toBe('');
      const report = await verify(out, { trust: trust() });
      expect(report.format.id).toBe(c.id);
      expect(report.labels.gb45438?.found_in).toContain(c.carrier);
      expect(report.labels.gb45438?.fields).toEqual(r.label);
      const label = codes(report.labels.status);
      expect(label).toContain('gb45438.securityData.validated');
      expect(label.filter((x) => /mismatch|malformed|conflict/.test(x))).toEqual([]);
      if (c.id === 'wav') {
        expect(r.manifestLabel).not.toBeNull();
        expect(report.validation_state).toBe('Trusted');
        return;
      }
      expect(r.manifestLabel).toBeNull();
      expect(report.validation_state).toBeNull();
      expect(label).toContain('gb45438.c2pa.notDefined');
      expect(report.warnings.join('\n')).toMatch(/C2PA defines no manifest embedding/);
      const published = tmp.file(`published-${c.file}`);
      const p = await propagate(out, { signer: platform, propagator: CODES.platformA, trust: trust(), output: published });
      expect(p.manifestLabel).toBeNull();
      expect(p.label?.ContentPropagator).toBe(CODES.platformA);
      expect(p.label?.ContentProducer).toBe(CODES.producer);
      const again = await verify(published, { trust: trust() });
      expect(again.labels.gb45438?.fields).toEqual(p.label);
      expect(again.labels.gb45438?.found_in.length).toBe(1);
      expect(codes(again.labels.status)).toContain('gb45438.securityData.validated');
      // ffmpeg 5.1's FLV demuxer reads AMF0 strings into a 1 KiB buffer: a longer label (both
      // security data fields) is valid AMF0 that it skips with one logged error, still playing the file.
      const json = JSON.stringify(p.label);
      if (c.id !== 'flv' || json.length < 1024) {
        expect(JSON.parse((await probeTags(published)).AIGC!)).toEqual(p.label);
        expect(await ffmpegErrors(published)).toBe('');
      } else {
        expect(Buffer.from(await readFile(published)).includes(Buffer.from(json))).toBe(true);
        expect(await ffmpegErrors(published)).toMatch(/^\[flv @ \w+\] AMF_DATA_TYPE_STRING parsing failed\s*$/);
        expect(await decodedFrames(published)).toBe(await decodedFrames(out));
      }
    });
  }
});

/** Every SeekHead entry and CueClusterPosition of `bytes` lands on an element with the id it names. */
function checkIndex(bytes: Uint8Array): number {
  const top = childrenOf(bytes, 0);
  const seg = top.find((e) => e.id === 0x18538067)!;
  const base = seg.dataStart;
  const idAt = (pos: number): number => readVint(bytes, base + pos, 4, true)!.value;
  let checked = 0;
  for (const e of childrenOf(bytes.subarray(seg.dataStart, seg.end), base)) {
    const data = bytes.subarray(base + e.dataStart, base + e.end);
    if (e.id === 0x114d9b74) {
      for (const s of childrenOf(data, 0).filter((k) => k.id === 0x4dbb)) {
        const kids = childrenOf(data.subarray(s.dataStart, s.end), 0);
        const id = kids.find((k) => k.id === 0x53ab)!;
        const pos = kids.find((k) => k.id === 0x53ac)!;
        const sdata = data.subarray(s.dataStart, s.end);
        const want = readVint(sdata.subarray(id.dataStart, id.end), 0, 4, true)!.value;
        const at = Array.from(sdata.subarray(pos.dataStart, pos.end)).reduce((v, b) => v * 256 + b, 0);
        expect(idAt(at)).toBe(want);
        checked++;
      }
    }
    if (e.id === 0x1c53bb6b) {
      for (const cp of childrenOf(data, 0).filter((k) => k.id === 0xbb)) {
        for (const tp of childrenOf(data.subarray(cp.dataStart, cp.end), 0).filter((k) => k.id === 0xb7)) {
          const tdata = data.subarray(cp.dataStart + tp.dataStart, cp.dataStart + tp.end);
          const f = childrenOf(tdata, 0).find((k) => k.id === 0xf1)!;
          const at = Array.from(tdata.subarray(f.dataStart, f.end)).reduce((v, b) => v * 256 + b, 0);
          expect(idAt(at)).toBe(0x1f43b675);
          checked++;
        }
      }
    }
  }
  return checked;
}

describe('Matroska positions after the label moves elements', () => {
  for (const file of ['seed.mkv', 'seed-cues.mkv', 'seed.webm']) {
    it(`${file}: SeekHead and Cues still point at the elements they name, with a long label too`, async () => {
      const bytes = new Uint8Array(await readFile(gen('label-only', file)));
      const src = new BufferSource(bytes);
      expect(checkIndex(bytes)).toBeGreaterThan(0);
      const long = { ...LABELS_1, gb45438: { ...LABELS_1.gb45438!, ReservedCode1: 'x'.repeat(70_000) } };
      for (const labels of [LABELS_1, long]) {
        const out = await partsToBytes(src, (await mkvHandler.planEmbed(src, 0, labels)).parts);
        expect(out.length).toBeGreaterThan(bytes.length);
        // one more SeekHead entry when the label needed a new Tags element
        expect(checkIndex(out)).toBeGreaterThanOrEqual(checkIndex(bytes));
      }
    });
  }
});

describe('label-only hostile inputs give typed errors', () => {
  const hostile: [string, FormatHandler, new (...args: never[]) => ToolkitError][] = [
    ['huge-element.mkv', mkvHandler, MalformedInputError],
    ['deep-ebml.mkv', mkvHandler, LimitExceededError],
    ['truncated.mkv', mkvHandler, MalformedInputError],
    ['truncated-page.ogg', oggHandler, MalformedInputError],
    ['deep-amf.flv', flvHandler, LimitExceededError],
  ];
  for (const [file, handler, type] of hostile) {
    it(`${file}: ${type.name} from every entry point`, async () => {
      const bytes = new Uint8Array(await readFile(gen('label-only', file)));
      expect(detectHandler(bytes.subarray(0, 64))).toBe(handler);
      const src = new BufferSource(bytes);
      await expect(handler.readLabels(src)).rejects.toBeInstanceOf(type);
      await expect(handler.planEmbed(src, 0, LABELS_1)).rejects.toBeInstanceOf(type);
      const report = await verify(bytes);
      expect(report.error?.code ?? report.warnings.join(' ')).toBeTruthy();
    });
  }

  it('a manifest slot is refused with UnsupportedFormatError naming the container', async () => {
    const src = new BufferSource(new Uint8Array(await readFile(gen('label-only', 'seed.flv'))));
    await expect(flvHandler.planEmbed(src, 100)).rejects.toThrow(UnsupportedFormatError);
    await expect(flvHandler.planEmbed(src, 100)).rejects.toThrow(/C2PA defines no manifest embedding for FLV/);
  });
});
