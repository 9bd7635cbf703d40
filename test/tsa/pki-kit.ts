/**
 * A throw-away PKI for the time-stamp and OCSP tests: a CA (ES256), a service signer, a TSA
 * and a delegated OCSP responder, all in a temp dir, plus a small JPEG to stamp.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { initCa, issueServiceCertificate } from '../../src/pki/ca.ts';
import { issueServiceCertificateFor } from '../../src/pki/tsa-cert.ts';
import { loadPrivateKey, readPkiFile } from '../../src/crypto/keys.ts';
import { parseCertificateChain, type Certificate } from '../../src/pki/certificate.ts';
import type { KeyObject } from 'node:crypto';

/** Provider code of the test signer. */
export const CODE = '001191000000EXAMPLE01P10000';

/** The kit. */
export interface Kit {
  readonly dir: string;
  readonly caDir: string;
  readonly rootPem: string;
  readonly signer: { chainPath: string; keyPath: string };
  readonly tsa: { chainPath: string; keyPath: string; chain: Certificate[]; key: KeyObject };
  readonly ocsp: { chainPath: string; keyPath: string };
  readonly image: string;
  file(name: string): string;
  cleanup(): Promise<void>;
}

/** Build the kit. */
export async function makeKit(prefix: string): Promise<Kit> {
  const dir = await mkdtemp(path.join(tmpdir(), `aigc-${prefix}-`));
  const caDir = path.join(dir, 'ca');
  await initCa({ outDir: caDir, alg: 'es256' });
  await issueServiceCertificate({ caDir, outDir: path.join(dir, 'svc'), service: 'Test Service', org: 'Test Org', code: CODE });
  const t = await issueServiceCertificateFor({ caDir, outDir: path.join(dir, 'tsa'), kind: 'tsa' });
  const o = await issueServiceCertificateFor({ caDir, outDir: path.join(dir, 'ocsp'), kind: 'ocsp' });
  const image = path.join(dir, 'in.jpg');
  await writeFile(
    image,
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 40, g: 90, b: 160 } } })
      .jpeg()
      .toBuffer(),
  );
  return {
    dir,
    caDir,
    image,
    rootPem: (await readPkiFile(path.join(caDir, 'root.pem'), 'root')).toString('utf8'),
    signer: { chainPath: path.join(dir, 'svc', 'chain.pem'), keyPath: path.join(dir, 'svc', 'key.pem') },
    tsa: {
      ...t,
      chain: parseCertificateChain(await readPkiFile(t.chainPath, 'TSA chain')),
      key: await loadPrivateKey({ keyPath: t.keyPath }),
    },
    ocsp: { chainPath: o.chainPath, keyPath: o.keyPath },
    file: (n) => path.join(dir, n),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
