import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectHandler, FORMAT_HANDLERS, SUPPORTED_NAMES } from '../../src/formats/registry.ts';
import { UnsupportedFormatError } from '../../src/errors.ts';
import { repo } from '../helpers.ts';

describe('format registry', () => {
  it('every registered handler has a conformance test that runs the suite on it', async () => {
    const dir = repo('test/formats');
    const files = new Set(await readdir(dir));
    const missing: string[] = [];
    for (const h of FORMAT_HANDLERS) {
      const file = `${h.id}-conformance.test.ts`;
      const text = files.has(file) ? await readFile(`${dir}/${file}`, 'utf8') : '';
      if (!text.includes(`${h.id}Handler`) || !/runHandlerConformance\(/.test(text)) missing.push(file);
    }
    expect(missing).toEqual([]);
  });

  it('every handler says what it holds, and ids, names and extensions are unique', () => {
    for (const h of FORMAT_HANDLERS) {
      expect(['image', 'audio', 'video'], h.id).toContain(h.mediaKind);
      expect(h.name.length, h.id).toBeGreaterThan(0);
      expect(h.extensions.length, h.id).toBeGreaterThan(0);
    }
    const ids = FORMAT_HANDLERS.map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    const exts = FORMAT_HANDLERS.flatMap((h) => h.extensions);
    expect(new Set(exts).size).toBe(exts.length);
  });

  it('the "supported" message is derived from the table: every handler, images first', () => {
    expect(SUPPORTED_NAMES).toBe(
      'JPEG, PNG, WebP, HEIF/HEIC/AVIF, GIF, WAV, FLAC, Ogg Vorbis/Opus, MP3, MP4/MOV/M4A, Matroska/WebM, FLV, AVI',
    );
    let err: unknown;
    try {
      detectHandler(new Uint8Array([1, 2, 3, 4]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedFormatError);
    for (const h of FORMAT_HANDLERS) expect((err as Error).message).toContain(h.name);
  });
});
