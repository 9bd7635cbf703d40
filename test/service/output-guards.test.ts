/**
 * The output guards of `stamp` and `propagate` look the output path up once: `guardOutput`
 * tells `guardInPlace` whether the path exists, so a fresh output costs one lookup, not two.
 * The rules stay: the input itself (also through a link) needs `inPlace`, another existing
 * file needs `force`, and a refused run writes nothing.
 */
import { copyFileSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, RefusedError } from '../../src/errors.ts';
import type { Signer } from '../../src/crypto/signer.ts';
import { propagate } from '../../src/service/propagate.ts';
import { guardInPlace, stamp } from '../../src/service/stamp.ts';
import { CODES, cfx, signerFor, tempDir, trust } from '../chain/helpers.ts';
import { gen } from '../helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let producer: Signer;
let platform: Signer;

beforeAll(async () => {
  tmp = await tempDir('output-guards');
  [producer, platform] = await Promise.all([signerFor('es256'), signerFor('platform-a')]);
});
afterAll(() => tmp.cleanup());

describe('output guards', () => {
  it('guardInPlace: outputExists false compares the resolved paths only; true or unknown resolves links', async () => {
    const file = tmp.file('g.jpg');
    copyFileSync(cfx('stamped.jpg'), file);
    symlinkSync(file, tmp.file('g-link.jpg'));
    await expect(guardInPlace(file, tmp.file('g-link.jpg'), false, true)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(guardInPlace(file, tmp.file('g-link.jpg'))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(guardInPlace(file, path.join(tmp.dir, 'sub', '..', 'g.jpg'), false, false)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(guardInPlace(file, tmp.file('fresh.jpg'), false, false)).resolves.toBeUndefined();
  });

  it('stamp and propagate refuse the input through a link (in place) and another existing file (force), writing nothing', async () => {
    const input = tmp.file('in.jpg');
    copyFileSync(gen('images', 'bench-1024.jpg'), input);
    const upload = tmp.file('up.jpg');
    copyFileSync(cfx('stamped.jpg'), upload);
    symlinkSync(input, tmp.file('in-link.jpg'));
    symlinkSync(upload, tmp.file('up-link.jpg'));
    const other = tmp.file('other.jpg');
    copyFileSync(cfx('stamped.jpg'), other);
    const before = readdirSync(tmp.dir).sort();
    const originals = [input, upload, other].map((f) => readFileSync(f));

    const s = { signer: producer, producer: CODES.producer, explicitLabel: false } as const;
    await expect(stamp(input, { ...s, output: tmp.file('in-link.jpg') })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(stamp(input, { ...s, output: other })).rejects.toBeInstanceOf(RefusedError);
    const p = { signer: platform, propagator: CODES.platformA, trust: trust() };
    await expect(propagate(upload, { ...p, output: tmp.file('up-link.jpg') })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(propagate(upload, { ...p, output: other })).rejects.toBeInstanceOf(RefusedError);

    expect(readdirSync(tmp.dir).sort()).toEqual(before);
    for (const [i, f] of [input, upload, other].entries()) expect(readFileSync(f).equals(originals[i]!)).toBe(true);

    // A fresh output is written.
    await stamp(input, { ...s, output: tmp.file('fresh-stamp.jpg') });
    await propagate(upload, { ...p, output: tmp.file('fresh-prop.jpg') });
    expect(readdirSync(tmp.dir)).toEqual(expect.arrayContaining(['fresh-stamp.jpg', 'fresh-prop.jpg']));
  });
});
