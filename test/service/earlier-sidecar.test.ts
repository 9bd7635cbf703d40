/**
 * Issue #12 §4 and §6: stamping an SDK-signed image keeps the SDK's manifest as a parentOf
 * ingredient (both verifiers show it) unless `replaceManifest`; `stamp({ sidecar })` writes
 * `NAME.c2pa` beside media without an embedded manifest and `verify`/`inspect` pick it up
 * (JPEG and MP4, ours and the SDK's reading of the media with its sidecar); a bare store
 * alone is never Trusted or Valid.
 */
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reader } from '@contentauth/c2pa-node';
import type { Signer } from '../../src/crypto/signer.ts';
import { detectSourceHandler } from '../../src/formats/registry.ts';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { formatInspectTree, inspect } from '../../src/service/inspect.ts';
import { gen } from '../helpers.ts';
import { sdkRead, sdkReadSettings } from '../sdk.ts';
import { cfx, CODES, labelCodes, signerFor, tempDir, trust } from '../chain/helpers.ts';

let producer: Signer;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir('earlier-sidecar');
  producer = await signerFor('es256');
});
afterAll(() => tmp.cleanup());

describe('stamping a file that already has a manifest', () => {
  it('keeps the SDK manifest as a parentOf ingredient; ours and the SDK show it, both Trusted', async () => {
    const out = tmp.file('kept.jpg');
    const r = await stamp(cfx('sdk-created.jpg'), {
      signer: producer,
      producer: CODES.producer,
      output: out,
      explicitLabel: false,
      trust: trust(),
    });
    expect(r.earlier).toMatchObject({ action: 'kept', validation_state: 'Trusted' });
    expect(r.earlier?.message).toMatch(
      /^kept the earlier manifest urn:c2pa:\S+ \(Trusted\) as a parentOf ingredient; pass --replace-manifest/,
    );
    const [ours, sdk] = await Promise.all([verify(out, { trust: trust() }), sdkRead(out, { anchorsPem: trust().anchorsPem })]);
    expect(ours.validation_state).toBe('Trusted');
    expect(sdk!.validation_state).toBe('Trusted');
    expect(ours.c2pa_validation_state).toBe(sdk!.validation_state);
    expect(ours.chain.map((s) => s.manifest)).toEqual([r.earlier!.manifest, r.manifestLabel]);
    expect(ours.chain.map((s) => s.actions)).toEqual([['c2pa.created'], ['c2pa.opened', 'c2pa.edited']]);
    expect(ours.manifests[r.manifestLabel!]!.ingredients[0]).toMatchObject({
      relationship: 'parentOf',
      active_manifest: r.earlier!.manifest,
    });
    const sdkActive = sdk!.manifests[sdk!.active_manifest!] as { ingredients: { relationship: string; active_manifest: string }[] };
    expect(sdkActive.ingredients[0]).toMatchObject({ relationship: 'parentOf', active_manifest: r.earlier!.manifest });
    expect(Object.keys(sdk!.manifests)).toContain(r.earlier!.manifest);
    expect(labelCodes(ours, 'failure')).toEqual([]);
  });

  it('--replace-manifest drops it and says so', async () => {
    const out = tmp.file('replaced.jpg');
    const r = await stamp(cfx('sdk-created.jpg'), {
      signer: producer,
      producer: CODES.producer,
      output: out,
      explicitLabel: false,
      replaceManifest: true,
    });
    expect(r.earlier).toMatchObject({ action: 'replaced' });
    expect(r.earlier?.message).toMatch(/^dropped the earlier manifest urn:c2pa:\S+ \(--replace-manifest\)$/);
    const ours = await verify(out, { trust: trust() });
    expect(ours.chain).toHaveLength(1);
    expect(Object.keys(ours.manifests)).toEqual([r.manifestLabel]);
  });
});

const SOURCES = { jpg: gen('images', 'seed.jpg'), mp4: gen('video', 'seed.mp4') } as const;

describe.each(['jpg', 'mp4'] as const)('sidecar round trip, %s', (ext) => {
  const media = (): string => tmp.file(`side.${ext}`);
  const side = (): string => tmp.file('side.c2pa');

  beforeAll(async () => {
    await stamp(SOURCES[ext], {
      signer: producer,
      producer: CODES.producer,
      output: media(),
      sidecar: side(),
      explicitLabel: false,
      force: true,
    });
  });

  it('the media carries the label but no manifest; the sidecar is the store', async () => {
    const bytes = await readFile(media());
    const src = new BufferSource(bytes);
    const handler = await detectSourceHandler(src);
    expect(await handler.readManifest(src)).toBeUndefined();
    expect((await handler.readLabels(src)).length).toBeGreaterThan(0);
    expect(existsSync(side())).toBe(true);
  });

  it('verify and inspect read NAME.c2pa beside it, check the content and say so', async () => {
    const r = await verify(media(), { trust: trust() });
    expect(r.validation_state).toBe('Trusted');
    expect(r.labels.status.find((e) => e.code === 'chain.sidecar')?.url).toBe(side());
    expect(r.warnings.join('\n')).toContain(`read from the sidecar ${side()}`);
    expect(r.validation_results?.activeManifest.success.map((e) => e.code)).toContain(
      ext === 'jpg' ? 'assertion.dataHash.match' : 'assertion.bmffHash.match',
    );
    expect(formatInspectTree(await inspect(media(), { trust: trust() }))).toContain('chain.sidecar');
  });

  it('the reference SDK validates the media against the sidecar store', async () => {
    const reader = await Reader.fromManifestDataAndAsset(
      await readFile(side()),
      { path: media() } as never,
      sdkReadSettings({ anchorsPem: trust().anchorsPem }) as never,
    );
    const json = reader.json() as unknown as { validation_state: string };
    expect(json.validation_state).toBe('Trusted');
  });

  it('a changed content byte is caught through the sidecar', async () => {
    const copy = tmp.file(`side-bad.${ext}`);
    const bytes = Buffer.from(await readFile(media()));
    bytes[bytes.length - 100] ^= 0x01;
    await (await import('node:fs/promises')).writeFile(copy, bytes);
    await copyFile(side(), tmp.file('side-bad.c2pa'));
    const r = await verify(copy, { trust: trust() });
    expect(r.validation_state).toBe('Invalid');
    expect(r.validation_status.map((e) => e.code)).toContain(ext === 'jpg' ? 'assertion.dataHash.mismatch' : 'assertion.bmffHash.mismatch');
  });

  it('the bare store alone is reported with its manifests but never Trusted or Valid', async () => {
    const r = await verify(side(), { trust: trust() });
    expect(Object.keys(r.manifests)).toHaveLength(1);
    expect(r.validation_state).toBe('Invalid');
    expect(r.labels.status.map((e) => e.code)).toContain('chain.binding.unchecked');
  });
});

describe('re-stamping a stamped file', () => {
  it('keeps the first stamp as history; the new producer step starts a new content item (Trusted)', async () => {
    const out = tmp.file('restamped.jpg');
    const r = await stamp(cfx('stamped.jpg'), {
      signer: producer,
      producer: CODES.producer,
      output: out,
      explicitLabel: false,
      trust: trust(),
    });
    const v = await verify(out, { trust: trust() });
    expect(v.validation_state).toBe('Trusted');
    expect(v.chain.map((s) => s.role)).toEqual(['creation', 'edit']);
    expect(v.labels.gb45438?.fields.ProduceID).toBe(r.label.ProduceID);
    expect(v.labels.status.find((e) => e.code === 'gb45438.producer.match')?.url).toBe(r.manifestLabel);
    expect(labelCodes(v, 'failure')).toEqual([]);
  });
});
