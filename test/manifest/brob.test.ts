/**
 * Brotli-compressed (`brob`) JUMBF content: compressed assertion content and compressed
 * manifests (`c2cm`) parse with the injected Node decompressor and verify exactly as their
 * plain forms (an SDK-signed MP4 whose active manifest is rewritten compressed, box size
 * kept by zero padding, keeps its verdict); without a decompressor, with a corrupt stream
 * or a Brotli bomb the result is a typed problem. The brob module stays free of `node:*`
 * (the decompressor is injected).
 */
import { brotliCompressSync, constants } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { MAX_BROB_BYTES } from '../../src/binary/limits.ts';
import { brotliDecompress } from '../../src/binary/brotli-node.ts';
import { concatBytes } from '../../src/binary/bytes.ts';
import { mp4Handler } from '../../src/formats/mp4.ts';
import { listBoxes } from '../../src/formats/bmff/bmff-boxes.ts';
import { isC2paBox, readC2paBoxInfo } from '../../src/formats/bmff/bmff-c2pa-box.ts';
import { encodeBox } from '../../src/manifest/jumbf/box.ts';
import { encodeSuperbox } from '../../src/manifest/jumbf/superbox.ts';
import {
  typeUuid,
  UUID_ASSERTION_STORE,
  UUID_CBOR,
  UUID_COMPRESSED_MANIFEST,
  UUID_MANIFEST,
  UUID_STORE,
} from '../../src/manifest/jumbf/c2pa-types.ts';
import { encodeCbor } from '../../src/manifest/cbor.ts';
import { parseManifestStore } from '../../src/manifest/store.ts';
import { verify } from '../../src/service/verify.ts';
import { repo } from '../helpers.ts';
import { roots, vfx } from '../verify/helpers.ts';

const brob = (type: string, payload: Uint8Array): Uint8Array =>
  encodeBox('brob', concatBytes([new TextEncoder().encode(type), new Uint8Array(brotliCompressSync(payload))]));

function storeWithAssertion(content: Uint8Array): Uint8Array {
  const assertion = encodeSuperbox({ type: UUID_CBOR, label: 'com.example.packed' }, [content]);
  const assertions = encodeSuperbox({ type: UUID_ASSERTION_STORE, label: 'c2pa.assertions' }, [assertion]);
  const manifest = encodeSuperbox({ type: UUID_MANIFEST, label: 'urn:c2pa:00000000-0000-4000-8000-000000000001' }, [assertions]);
  return encodeSuperbox({ type: UUID_STORE, label: 'c2pa' }, [manifest]);
}

describe('brob assertion content', () => {
  const value = { note: 'x'.repeat(5000), n: 7 };
  const packed = storeWithAssertion(brob('cbor', encodeCbor(value)));
  it('decodes with the Node decompressor; hashed URIs still cover the stored (compressed) bytes', () => {
    const s = parseManifestStore(packed, { decompress: brotliDecompress });
    const a = s.active!.assertions[0]!;
    expect(a.data).toEqual(value);
    expect(a.payload.length).toBeLessThan(encodeCbor(value).length);
  });
  it('without a decompressor, or with a corrupt stream or a wrong inner type, it is a problem of the assertion', () => {
    const none = parseManifestStore(packed);
    expect(none.active!.problems.map((p) => p.code)).toContain('assertion.cbor.invalid');
    expect(none.active!.assertions[0]!.error?.code).toBe('UNSUPPORTED_FORMAT');
    const corrupt = storeWithAssertion(encodeBox('brob', concatBytes([new TextEncoder().encode('cbor'), Uint8Array.of(1, 2, 3, 4, 5)])));
    expect(parseManifestStore(corrupt, { decompress: brotliDecompress }).active!.assertions[0]!.error?.code).toBe('MALFORMED_INPUT');
    const wrong = storeWithAssertion(brob('json', new TextEncoder().encode('{}')));
    expect(parseManifestStore(wrong, { decompress: brotliDecompress }).active!.assertions[0]!.error?.message).toMatch(/not 'cbor'/);
  });
  it('MAX_BROB_BYTES: a stream of exactly the limit inflates, one byte more is refused', () => {
    const exact = brotliCompressSync(new Uint8Array(MAX_BROB_BYTES), { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
    expect(brotliDecompress(new Uint8Array(exact), MAX_BROB_BYTES)).toHaveLength(MAX_BROB_BYTES);
  });
  it('a Brotli bomb stops at MAX_BROB_BYTES', () => {
    const zeros = brotliCompressSync(new Uint8Array(MAX_BROB_BYTES + 1), { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
    const bomb = storeWithAssertion(encodeBox('brob', concatBytes([new TextEncoder().encode('cbor'), new Uint8Array(zeros)])));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const s = parseManifestStore(bomb, { decompress: brotliDecompress });
    expect(s.active!.assertions[0]!.error?.code).toBe('LIMIT_EXCEEDED');
  });
});

describe('compressed manifests (c2cm)', () => {
  it('an SDK-signed MP4 whose active manifest is stored compressed keeps its verdict', async () => {
    const file = new Uint8Array(await readFile(vfx('sdk-es256.mp4')));
    const src = new BufferSource(file);
    const { boxes } = await listBoxes(src, 0, src.size, 1);
    const info = await readC2paBoxInfo(src, boxes.find(isC2paBox)!);
    const store = parseManifestStore((await mp4Handler.readManifest(src))!);
    const m = store.active!;
    const whole = store.bytes.subarray(m.box.offset, m.box.offset + m.box.headerLength + m.box.payload.length);
    const c2cm = encodeSuperbox({ type: UUID_COMPRESSED_MANIFEST, label: m.label }, [brob('jumb', whole)]);
    const others = store.manifests
      .slice(0, -1)
      .map((x) => store.bytes.subarray(x.box.offset, x.box.offset + x.box.headerLength + x.box.payload.length));
    const packed = encodeSuperbox({ type: UUID_STORE, label: 'c2pa' }, [...others, c2cm]);
    expect(packed.length).toBeLessThan(info.dataLength);
    const out = file.slice();
    out.set(packed, info.dataOffset);
    out.fill(0, info.dataOffset + packed.length, info.dataOffset + info.dataLength);
    const trust = { anchorsPem: roots() };
    const [plain, compressed] = await Promise.all([verify(file, { trust }), verify(out, { trust })]);
    expect(plain.validation_state).toBe('Trusted');
    expect(compressed.validation_state).toBe('Trusted');
    const codes = (r: typeof plain) =>
      (['success', 'informational', 'failure'] as const).map((k) => r.validation_results!.activeManifest[k].map((e) => e.code).sort());
    expect(codes(compressed)).toEqual(codes(plain));
    expect(parseManifestStore(packed, { decompress: brotliDecompress }).active!.compressed).toBe(true);
    // without the decompressor the manifest cannot be read (a problem, not a crash)
    expect(parseManifestStore(packed).active!.problems.map((p) => p.code)).toEqual(['manifest.compressed.unsupported']);
  });
  it('typeUuid gives the c2cm type', () => {
    expect(typeUuid('c2cm')).toEqual(UUID_COMPRESSED_MANIFEST);
  });
});

describe('runtime-agnostic parser', () => {
  it('src/manifest/brob.ts imports no node:* module, directly or transitively (the decompressor is injected)', async () => {
    const seen = new Set<string>();
    const todo = [repo('src/manifest/brob.ts')];
    const offenders: string[] = [];
    while (todo.length) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      const text = await readFile(f, 'utf8');
      if (/from\s+'node:/.test(text)) offenders.push(path.relative(repo(), f));
      for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm))
        if (m[1]!.startsWith('.')) todo.push(path.resolve(path.dirname(f), m[1]!));
    }
    expect(offenders).toEqual([]);
  });
});
