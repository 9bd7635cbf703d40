/** Helpers shared by the ISO-BMFF (MP4/MOV/M4A) tests. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { decode } from 'cbor-x';
import { BufferSource, type ByteSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { type Part, partsToBytes } from '../../src/binary/parts.ts';
import { gen } from '../helpers.ts';

const run = promisify(execFile);

/** Path of a generated video fixture. */
export function fx(name: string): string {
  return gen('video', name);
}

/** The two source modes every test runs through. */
export const SOURCE_MODES: readonly { name: string; open(file: string): Promise<ByteSource> }[] = [
  { name: 'BufferSource', open: async (f) => new BufferSource(new Uint8Array(await readFile(f))) },
  { name: 'FileSource', open: (f) => FileSource.open(f) },
];

/** A fresh temp directory for this test file. */
export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
}

/** Write planned parts to a file. */
export async function writeParts(src: ByteSource, parts: readonly Part[], file: string): Promise<Uint8Array> {
  const bytes = await partsToBytes(src, parts);
  await writeFile(file, bytes);
  return bytes;
}

/** ffmpeg's error output when decoding the whole file (empty = decodes to the end). */
export async function ffmpegDecodeErrors(file: string): Promise<string> {
  try {
    const { stderr } = await run('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-f', 'null', '-'], { maxBuffer: 4 << 20 });
    return stderr.trim();
  } catch (err) {
    return `ffmpeg failed: ${(err as { stderr?: string }).stderr ?? String(err)}`;
  }
}

/** `ffprobe` format tags. */
export async function ffprobeTags(file: string): Promise<Record<string, string>> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', file]);
  return (JSON.parse(stdout) as { format?: { tags?: Record<string, string> } }).format?.tags ?? {};
}

/** Top-level boxes of a small in-memory file: [type, offset, size]. */
export function topLevel(d: Uint8Array): [string, number, number][] {
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const out: [string, number, number][] = [];
  for (let o = 0; o + 8 <= d.length; ) {
    let size = dv.getUint32(o);
    if (size === 1) size = Number(dv.getBigUint64(o + 8));
    if (size === 0) size = d.length - o;
    out.push([String.fromCharCode(...d.subarray(o + 4, o + 8)), o, size]);
    o += size;
  }
  return out;
}

/** Count occurrences of a byte string. */
export function countOccurrences(hay: Uint8Array, needle: string | Uint8Array): number {
  const n = typeof needle === 'string' ? Buffer.from(needle, 'latin1') : Buffer.from(needle);
  const h = Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength);
  let c = 0;
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) c++;
  return c;
}

/** A JUMBF content box found by label path. */
export interface JumbfCbor {
  readonly path: string;
  readonly value: unknown;
}

/** Walk a C2PA store (JUMBF) and decode every `cbor` content box (tests only, no limits). */
export function jumbfCborBoxes(store: Uint8Array): JumbfCbor[] {
  const d = Buffer.from(store.buffer, store.byteOffset, store.byteLength);
  const out: JumbfCbor[] = [];
  const walk = (o: number, e: number, p: string): void => {
    while (o + 8 <= e) {
      const size = d.readUInt32BE(o);
      const type = d.toString('latin1', o + 4, o + 8);
      if (size < 8 || o + size > e) return;
      if (type === 'jumb') {
        const jd = o + 8;
        const jdSize = d.readUInt32BE(jd);
        const labelStart = jd + 8 + 17;
        const label = d.toString('utf8', labelStart, d.indexOf(0, labelStart));
        walk(jd + jdSize, o + size, `${p}/${label}`);
      } else if (type === 'cbor') out.push({ path: p, value: decode(d.subarray(o + 8, o + size)) });
      o += size;
    }
  };
  walk(0, d.length, '');
  return out;
}

/** PEM material to sign with the SDK. */
export interface SdkPki {
  readonly chainPem: string;
  readonly keyPem: string;
  readonly rootPem: string;
}

/**
 * The ES256 test PKI from the PKI fixture when it exists, else a throwaway openssl
 * chain (root CA, intermediate pathlen 0, leaf with c2pa-kp-claimSigning).
 */
export async function sdkPki(): Promise<SdkPki> {
  const dir = gen('pki', 'es256');
  const files = ['chain.pem', 'key.pem', 'root.pem'].map((f) => path.join(dir, f));
  if (files.every((f) => existsSync(f))) {
    const [chainPem, keyPem, rootPem] = await Promise.all(files.map((f) => readFile(f, 'utf8')));
    return { chainPem: chainPem!, keyPem: keyPem!, rootPem: rootPem! };
  }
  const t = await tempDir('bmff-pki');
  await mkdir(t, { recursive: true });
  const ext = [
    '[root]',
    'basicConstraints=critical,CA:true',
    'keyUsage=critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier=hash',
    '[inter]',
    'basicConstraints=critical,CA:true,pathlen:0',
    'keyUsage=critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid',
    '[leaf]',
    'basicConstraints=CA:false',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=1.3.6.1.4.1.62558.2.1,emailProtection',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid',
  ].join('\n');
  const f = (n: string): string => path.join(t, n);
  await writeFile(f('ext.cnf'), ext);
  const ossl = (...a: string[]): Promise<unknown> => run('openssl', a, { cwd: t });
  for (const n of ['root', 'inter', 'leaf'])
    await ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(`${n}.key`));
  await ossl('req', '-new', '-key', f('root.key'), '-subj', '/CN=bmff test root/O=aigc-provenance tests', '-out', f('root.csr'));
  await ossl(
    'x509',
    '-req',
    '-in',
    f('root.csr'),
    '-signkey',
    f('root.key'),
    '-days',
    '3650',
    '-sha256',
    '-extfile',
    f('ext.cnf'),
    '-extensions',
    'root',
    '-out',
    f('root.pem'),
  );
  await ossl('req', '-new', '-key', f('inter.key'), '-subj', '/CN=bmff test inter/O=aigc-provenance tests', '-out', f('inter.csr'));
  await ossl(
    'x509',
    '-req',
    '-in',
    f('inter.csr'),
    '-CA',
    f('root.pem'),
    '-CAkey',
    f('root.key'),
    '-set_serial',
    '2',
    '-days',
    '3650',
    '-sha256',
    '-extfile',
    f('ext.cnf'),
    '-extensions',
    'inter',
    '-out',
    f('inter.pem'),
  );
  await ossl('req', '-new', '-key', f('leaf.key'), '-subj', '/CN=bmff test leaf/O=aigc-provenance tests', '-out', f('leaf.csr'));
  await ossl(
    'x509',
    '-req',
    '-in',
    f('leaf.csr'),
    '-CA',
    f('inter.pem'),
    '-CAkey',
    f('inter.key'),
    '-set_serial',
    '3',
    '-days',
    '3650',
    '-sha256',
    '-extfile',
    f('ext.cnf'),
    '-extensions',
    'leaf',
    '-out',
    f('leaf.pem'),
  );
  const [leaf, inter, key, root] = await Promise.all(['leaf.pem', 'inter.pem', 'leaf.key', 'root.pem'].map((n) => readFile(f(n), 'utf8')));
  return { chainPem: leaf! + inter!, keyPem: key!, rootPem: root! };
}
