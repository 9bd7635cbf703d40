/**
 * `aigc inspect FILE --certs` (the active signer's chain as PEM on standard output) and
 * `aigc inspect FILE --extract DIR` (the store, each manifest's own store, claim, signature,
 * signer chain and thumbnails, as files), as c2patool users expect.
 */
import { said } from '../../src/errors.ts';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { extractStore, type ExtractedManifest } from '../../src/service/extract.ts';
import { toPem } from '../../src/pki/pem.ts';
import { writeBytesAtomic } from '../../src/binary/atomic-write.ts';
import { IoError, ManifestNotFoundError } from '../../src/errors.ts';
import { EXIT } from '../exit-codes.ts';

const EXT: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/heic': 'heic',
  'image/avif': 'avif',
};

/** A file-name-safe form of a manifest or assertion label. */
export function safeName(label: string): string {
  return label
    .replace(/^urn:(c2pa|uuid):/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 120);
}

const chainPem = (m: ExtractedManifest): string => m.chainDer.map((d) => toPem('CERTIFICATE', d)).join('');

/**
 * Print the active manifest's signer chain as PEM.
 * @throws {ManifestNotFoundError} when FILE has no manifest; as `extractStore` otherwise.
 */
export async function printCerts(file: string): Promise<number> {
  const x = await extractStore(file);
  const active = x?.manifests.find((m) => m.active);
  if (!active) throw new ManifestNotFoundError(said('err.cli.noStoreIn', 'no C2PA manifest store found in {path}', { path: file }));
  process.stdout.write(chainPem(active));
  return EXIT.OK;
}

/**
 * Write FILE's store pieces into `dir` (created if missing) and list them.
 * @throws {ManifestNotFoundError} when FILE has no manifest; {@link IoError} when `dir` cannot be created.
 */
export async function extractTo(file: string, dir: string): Promise<number> {
  const x = await extractStore(file);
  if (!x) throw new ManifestNotFoundError(said('err.cli.noStoreIn', 'no C2PA manifest store found in {path}', { path: file }));
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    throw new IoError(
      said('err.cli.extractFolder', 'cannot create --extract folder {path}: {why}', {
        path: dir,
        why: (err as NodeJS.ErrnoException).code ?? (err as Error).message,
      }),
      dir,
      {
        cause: err,
      },
    );
  }
  const written: string[] = [];
  const put = (name: string, bytes: Uint8Array | string): void => {
    const p = path.join(dir, name);
    writeBytesAtomic(p, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
    written.push(p);
  };
  put('manifest_store.c2pa', x.store);
  x.manifests.forEach((m, i) => {
    const base = `${String(i).padStart(2, '0')}-${m.active ? 'active-' : ''}${safeName(m.label)}`;
    put(`${base}.c2pa`, m.store);
    if (m.claim) put(`${base}.claim.cbor`, m.claim);
    if (m.signature) put(`${base}.signature.cose`, m.signature);
    if (m.chainDer.length) put(`${base}.certs.pem`, chainPem(m));
    for (const t of m.thumbnails) put(`${base}.${safeName(t.label)}.${EXT[t.mediaType] ?? 'bin'}`, t.bytes);
  });
  process.stdout.write(`${written.map((w) => `wrote ${w}`).join('\n')}\n`);
  return EXIT.OK;
}
