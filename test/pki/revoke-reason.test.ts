/**
 * A revocation reason (RFC 5280 CRLReason) given to `aigc pki revoke --reason` reaches the CRL entry
 * (read back by `openssl crl`, an independent reader) and the CA's OCSP responder's answer.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import { caResponderOptions } from '../../src/ocsp/ca-responder.ts';
import { fetchSignerOcsp } from '../../src/ocsp/client.ts';
import { describeOcspResponse } from '../../src/ocsp/describe.ts';
import { startOcspServer } from '../../src/ocsp/responder.ts';
import { parseCertificateChain } from '../../src/pki/certificate.ts';
import { readRevocationDb, revokeCertificate, writeCrl } from '../../src/pki/revocation.ts';
import { makeKit, type Kit } from '../tsa/pki-kit.ts';

const run = promisify(execFile);
let kit: Kit;
beforeAll(async () => {
  kit = await makeKit('revoke-reason');
});
afterAll(async () => {
  await kit?.cleanup();
});

describe('revocation reasons', () => {
  it('refuses a name that is not a CRLReason, and writes nothing', async () => {
    await expect(revokeCertificate({ caDir: kit.caDir, certPath: kit.signer.chainPath, reason: 'stolen' })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(revokeCertificate({ caDir: kit.caDir, certPath: kit.signer.chainPath, reason: 'removeFromCRL' })).rejects.toThrow(
      InvalidArgumentError,
    );
    expect((await readRevocationDb(kit.caDir)).revoked).toEqual([]);
  });

  it('records keyCompromise, and the CRL and the OCSP answer both carry it', async () => {
    const res = await revokeCertificate({ caDir: kit.caDir, certPath: kit.signer.chainPath, reason: 'keyCompromise' });
    expect(res.alreadyRevoked).toBe(false);
    expect((await readRevocationDb(kit.caDir)).revoked[0]).toMatchObject({ serial: res.serial, reason: 'keyCompromise' });

    const crlPath = path.join(path.dirname(kit.signer.chainPath), 'ca.crl.pem');
    await writeCrl({ caDir: kit.caDir, outPath: crlPath });
    const { stdout } = await run('openssl', ['crl', '-in', crlPath, '-noout', '-text']);
    expect(stdout).toMatch(new RegExp(`Serial Number: 0*${res.serial.replace(/^0+/, '')}`, 'i'));
    expect(stdout).toMatch(/X509v3 CRL Reason Code:\s*\n\s*Key Compromise/);

    const chain = parseCertificateChain(await readFile(kit.signer.chainPath), kit.signer.chainPath);
    const server = await startOcspServer(
      await caResponderOptions({ caDir: kit.caDir, responderChainPath: kit.ocsp.chainPath, responderKeyPath: kit.ocsp.keyPath }),
    );
    try {
      const fetched = await fetchSignerOcsp(
        chain.map((c) => c.der),
        { url: server.url },
      );
      const mine = describeOcspResponse(
        fetched!.der,
        chain.map((c) => c.der),
      ).responses?.find((r) => r.for_signer);
      expect(mine).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
    } finally {
      await server.close();
    }
  });
});
