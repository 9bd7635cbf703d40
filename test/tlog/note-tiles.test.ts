/**
 * C2SP signed notes (the reference PeterNeumann vector of the Go sumdb/note package), checkpoints,
 * tlog-tiles paths (the spec's own examples) and entry bundles.
 */
import { describe, expect, it } from 'vitest';
import {
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  makeNoteSigner,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '../../src/tlog/note.ts';
import { decodeBundle, encodeBundle, fullTiles, parseTilePath, partialWidth, tileIndexPath, tilePath } from '../../src/tlog/tiles.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError } from '../../src/errors.ts';

const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIG = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

describe('signed notes (C2SP signed-note, Go reference vector)', () => {
  it('the signer key derives the published verifier key and signs the published note byte for byte', async () => {
    const signer = await parseSignerKey(SKEY);
    expect(formatVerifierKey(signer)).toBe(VKEY);
    expect(formatSignerKey(signer)).toBe(SKEY);
    expect(await signNote(TEXT, signer)).toBe(`${TEXT}\n${SIG}`);
  });
  it('the published note opens with the verifier key; a changed text or signature does not', async () => {
    const v = parseVerifierKey(VKEY);
    expect(await openNote(`${TEXT}\n${SIG}`, v)).toEqual({ text: TEXT, verified: true, otherSigners: [] });
    expect((await openNote(`${TEXT.replace('answer', 'ANSWER')}\n${SIG}`, v)).verified).toBe(false);
    const other = await makeNoteSigner('someone.example');
    const foreign = await signNote(TEXT, other);
    expect(await openNote(foreign, v)).toMatchObject({ verified: false, otherSigners: ['someone.example'] });
  });
  it('malformed keys and notes are typed errors', async () => {
    expect(() => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/key ID does not match/);
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3')).toThrow(InvalidArgumentError);
    const v = parseVerifierKey(VKEY);
    await expect(openNote(TEXT, v)).rejects.toThrow(MalformedInputError);
    await expect(openNote(`${TEXT}\n-- PeterNeumann abc\n`, v)).rejects.toThrow(MalformedInputError);
    await expect(openNote(`${TEXT}\n${SIG.repeat(101)}`, v)).rejects.toThrow(LimitExceededError);
    await expect(signNote('no newline', await parseSignerKey(SKEY))).rejects.toThrow(InvalidArgumentError);
  });
  it('checkpoints round-trip, with extension lines', () => {
    const cp = { origin: 'log.example/aigc', size: 70_000, root: new Uint8Array(32).fill(7), extensions: ['ext one'] };
    const text = formatCheckpoint(cp);
    expect(text).toBe(`log.example/aigc\n70000\n${Buffer.alloc(32, 7).toString('base64')}\next one\n`);
    expect(parseCheckpoint(text)).toEqual(cp);
    expect(() => parseCheckpoint('origin\n012\nAAAA\n')).toThrow(MalformedInputError);
  });
});

describe('tlog-tiles paths and bundles', () => {
  it('encodes indices as the spec does', () => {
    expect(tileIndexPath(1234067)).toBe('x001/x234/067');
    expect(tileIndexPath(0)).toBe('000');
    expect(tilePath(0, 1234067)).toBe('tile/0/x001/x234/067');
    expect(tilePath(1, 5, 17)).toBe('tile/1/005.p/17');
    expect(tilePath('entries', 1000, 3)).toBe('tile/entries/x001/000.p/3');
    expect(parseTilePath('tile/entries/x001/x234/067.p/8')).toEqual({ level: 'entries', n: 1234067, width: 8 });
    for (const bad of ['tile/0/1234', 'tile/0/x1/234', 'tile/00/000', 'tile/0/000.p/256', 'tile/0/000.p/0'])
      expect(() => parseTilePath(bad)).toThrow(MalformedInputError);
  });
  it('the spec example: a tree of 70,000 entries', () => {
    expect([fullTiles(0, 70_000), partialWidth(0, 70_000)]).toEqual([273, 112]);
    expect([fullTiles(1, 70_000), partialWidth(1, 70_000)]).toEqual([1, 17]);
    expect([fullTiles(2, 70_000), partialWidth(2, 70_000)]).toEqual([0, 1]);
    expect([fullTiles(0, 256), partialWidth(0, 256), partialWidth(1, 256)]).toEqual([1, 0, 1]);
  });
  it('entry bundles are uint16-length-prefixed and checked', () => {
    const entries = [new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(300).fill(9)];
    const b = encodeBundle(entries);
    expect([...b.subarray(0, 7)]).toEqual([0, 0, 0, 3, 1, 2, 3]);
    expect(decodeBundle(b).map((e) => e.length)).toEqual([0, 3, 300]);
    expect(() => decodeBundle(b.subarray(0, b.length - 1))).toThrow(MalformedInputError);
    expect(() => encodeBundle([new Uint8Array(65_536)])).toThrow(LimitExceededError);
  });
});
