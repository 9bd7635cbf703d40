/**
 * Issue #12 §7: library options are checked — an unknown key or a wrongly shaped value is an
 * InvalidArgumentError in the project's wording, never silently ignored — and inputs may be
 * a ReadableStream, a Node Readable, a Blob or an ArrayBuffer as well as a path or bytes.
 */
import { readFileSync, createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, LimitExceededError } from '../../src/errors.ts';
import { decide } from '../../src/service/decide.ts';
import { inspect } from '../../src/service/inspect.ts';
import { propagate } from '../../src/service/propagate.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { materializeInput } from '../../src/service/input-kinds.ts';
import { MAX_STREAM_INPUT_BYTES } from '../../src/binary/limits.ts';
import { gen } from '../helpers.ts';
import { cfx, CODES, signerFor, trust } from '../chain/helpers.ts';

const FILE = cfx('stamped.jpg');

describe('options are checked', () => {
  it('verify({ trust: pemString }) is refused with the sharp wording', async () => {
    await expect(verify(FILE, { trust: 'PEM' as never })).rejects.toThrow(
      new InvalidArgumentError(
        'Expected an object of trust options { anchorsPem?, trustListPem?, tsaTrustListPem?, defaultTrust?, allowedListPem?, ekus?, crlsPem?, cawgAnchorsPem?, tsaAnchorsPem?, publicTsaRoots?, ocspFetch?, sourceNames? } for verify() option trust but received "PEM"',
      ),
    );
  });

  it('a misspelled option is refused, naming the known ones', async () => {
    await expect(verify(FILE, { turst: trust() } as never)).rejects.toThrow(
      /^Unknown option "turst" for verify\(\); expected one of: trust, at, detail, fragments, watermark$/,
    );
    await expect(verify(FILE, { watermark: false })).resolves.toHaveProperty('validation_state'); // a documented option is accepted
    await expect(inspect(FILE, { detail: true } as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(decide(FILE, { declaredAI: true } as never)).rejects.toThrow(/Unknown option "declaredAI" for decide\(\)/);
    const signer = await signerFor('es256');
    await expect(stamp(FILE, { signer, producer: CODES.producer, outptu: 'x.jpg' } as never)).rejects.toThrow(
      /Unknown option "outptu" for stamp\(\)/,
    );
    await expect(stamp(FILE, { signer, producer: CODES.producer, force: 'yes' } as never)).rejects.toThrow(
      'Expected a boolean for stamp() option force but received "yes"',
    );
    const platform = await signerFor('platform-a');
    await expect(propagate(FILE, { signer: platform, propagator: CODES.platformA, acceptInvalid: 1 } as never)).rejects.toThrow(
      'Expected a boolean for propagate() option acceptInvalid but received number 1',
    );
    await expect(propagate(FILE, { signer: 'key.pem', propagator: CODES.platformA } as never)).rejects.toThrow(
      /Expected a Signer \(loadSigner\(\)\) for propagate\(\) option signer/,
    );
  });

  it('the PKI and signer entry points check their options too', async () => {
    const { loadSigner } = await import('../../src/crypto/local-signer.ts');
    const { initCa, issueServiceCertificate } = await import('../../src/pki/ca.ts');
    await expect(loadSigner({ chainpath: 'x' } as never)).rejects.toThrow(
      /^Unknown option "chainpath" for loadSigner\(\); expected one of: chainPem, chainPath, keyPem, keyPath, passphrase$/,
    );
    await expect(initCa({ outDir: '/nonexistent/x', rootdays: 5 } as never)).rejects.toThrow(/Unknown option "rootdays" for initCa\(\)/);
    await expect(
      issueServiceCertificate({ caDir: 'a', outDir: 'b', service: 's', org: 'o', code: CODES.producer, days: '30' } as never),
    ).rejects.toThrow('Expected a finite number for issueServiceCertificate() option days but received "30"');
  });

  it('a wrong input kind is refused', async () => {
    await expect(verify(42 as never)).rejects.toThrow(
      'Expected a path, a Uint8Array, an ArrayBuffer, a Blob, a ReadableStream or a Node Readable for input but received number 42',
    );
  });
});

describe('input kinds', () => {
  const bytes = readFileSync(FILE);
  const kinds: [string, () => unknown][] = [
    ['Uint8Array', () => new Uint8Array(bytes)],
    ['ArrayBuffer', () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)],
    ['Blob', () => new Blob([bytes])],
    ['ReadableStream', () => Readable.toWeb(createReadStream(FILE))],
    ['Node Readable', () => createReadStream(FILE)],
  ];

  it.each(kinds)('verify() reads a %s like the path', async (_name, make) => {
    const fromPath = await verify(FILE, { trust: trust() });
    const r = await verify(make() as never, { trust: trust() });
    expect(r.validation_state).toBe('Trusted');
    expect(r.active_manifest).toBe(fromPath.active_manifest);
    expect(r.labels.gb45438?.fields).toEqual(fromPath.labels.gb45438?.fields);
  });

  it('stamp() takes a Blob and propagate() a Node Readable', async () => {
    const s = await stamp(new Blob([readFileSync(gen('images', 'seed.jpg'))]), {
      signer: await signerFor('es256'),
      producer: CODES.producer,
      explicitLabel: false,
    });
    const p = await propagate(Readable.from([s.bytes!]), {
      signer: await signerFor('platform-a'),
      propagator: CODES.platformA,
      trust: trust(),
    });
    expect((await verify(p.bytes!, { trust: trust() })).validation_state).toBe('Trusted');
  });

  it('streams are collected up to MAX_STREAM_INPUT_BYTES', async () => {
    class BigBlob extends Blob {
      override get size(): number {
        return MAX_STREAM_INPUT_BYTES + 1;
      }
    }
    await expect(materializeInput(new BigBlob([]))).rejects.toBeInstanceOf(LimitExceededError);
    await expect(materializeInput(Readable.from([{ not: 'bytes' }]))).rejects.toThrow(/Expected a stream of bytes for input stream chunk/);
  });
});
