import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCa, issueServiceCertificate, loadCa } from '../../src/pki/ca.ts';
import { revokeCertificate, writeCrl, readRevocationDb } from '../../src/pki/revocation.ts';
import { parseCertificateChain, parseCertificates } from '../../src/pki/certificate.ts';
import { checkCrlIssuer, parseCrls } from '../../src/pki/crl.ts';
import { providerCodeOf, roleOf, serviceIdentityOf } from '../../src/pki/identity.ts';
import { checkSignerProfile } from '../../src/pki/profile.ts';
import { verifyCertificateChain } from '../../src/pki/chain.ts';
import { CertificateError, InvalidArgumentError, KeyError } from '../../src/errors.ts';
import { gen } from '../helpers.ts';

const NOW = new Date('2025-03-01T00:00:00Z');
let tmp: string;
let caDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'aigc-ca-'));
  caDir = path.join(tmp, 'ca');
  await initCa({ outDir: caDir, alg: 'es256', org: 'Unit CA', now: NOW });
});

const issue = (over: Partial<Parameters<typeof issueServiceCertificate>[0]> = {}) =>
  issueServiceCertificate({
    caDir,
    outDir: path.join(tmp, over.service ?? 'svc'),
    service: 'svc',
    org: 'Unit Org',
    code: '001191000000EXAMPLE01P10000',
    now: NOW,
    ...over,
  });

describe('initCa', () => {
  it('writes root and intermediate CAs with the required extensions', async () => {
    const ca = await loadCa(caDir);
    for (const c of [ca.root, ca.intermediate]) {
      expect(c.extensions.basicConstraints).toMatchObject({ ca: true, critical: true });
      expect(c.extensions.keyUsage).toEqual({ usages: ['keyCertSign', 'cRLSign'], critical: true });
      expect(c.extensions.subjectKeyId).toBeDefined();
      expect(c.extensions.authorityKeyId).toBeDefined();
      expect(c.notBefore.toISOString()).toBe(NOW.toISOString());
    }
    expect(ca.root.extensions.basicConstraints?.pathLen).toBeUndefined();
    expect(ca.intermediate.extensions.basicConstraints?.pathLen).toBe(0);
    expect(ca.root.selfIssued).toBe(true);
    expect(ca.root.extensions.authorityKeyId).toBe(ca.root.extensions.subjectKeyId);
    expect(ca.intermediate.extensions.authorityKeyId).toBe(ca.root.extensions.subjectKeyId);
    expect(ca.root.notAfter.getUTCFullYear()).toBe(2045);
    expect((await stat(path.join(caDir, 'root.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(caDir, 'intermediate.key'))).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite an existing CA', async () => {
    await expect(initCa({ outDir: caDir })).rejects.toThrow(/already holds a CA/);
  });

  it('encrypts CA keys with a passphrase and needs it to issue', async () => {
    const dir = path.join(tmp, 'locked');
    await initCa({ outDir: dir, passphrase: 'pw', now: NOW });
    expect(await readFile(path.join(dir, 'intermediate.key'), 'utf8')).toMatch(/ENCRYPTED PRIVATE KEY/);
    const base = {
      caDir: dir,
      outDir: path.join(tmp, 'locked-svc'),
      service: 's',
      org: 'o',
      code: '001191000000EXAMPLE01P10000',
      now: NOW,
    };
    await expect(issueServiceCertificate(base)).rejects.toBeInstanceOf(KeyError);
    await expect(issueServiceCertificate({ ...base, caPassphrase: 'nope' })).rejects.toThrow(/wrong passphrase/);
    const res = await issueServiceCertificate({ ...base, caPassphrase: 'pw', keyPassphrase: 'leafpw' });
    expect(res.cert.publicKeyInfo.type).toBe('Ed25519');
    expect(await readFile(res.keyPath, 'utf8')).toMatch(/ENCRYPTED PRIVATE KEY/);
  });
});

describe('issueServiceCertificate', () => {
  it('issues a leaf that fits the C2PA profile and carries the GB 45438 identity', async () => {
    const res = await issue({ service: 'Image Gen', role: 'producer' });
    const chain = parseCertificateChain(await readFile(res.chainPath));
    expect(chain).toHaveLength(2);
    const [leaf, int] = chain;
    expect(checkSignerProfile(leaf!)).toEqual({ ok: true, problems: [] });
    expect(leaf!.publicKeyInfo).toEqual({ type: 'EC', curve: 'prime256v1' }); // default: the CA's algorithm
    expect(providerCodeOf(leaf!)).toBe('001191000000EXAMPLE01P10000');
    expect(roleOf(leaf!)).toBe('producer');
    expect(serviceIdentityOf(leaf!)).toEqual({
      org: 'Unit Org',
      service: 'Image Gen',
      code: '001191000000EXAMPLE01P10000',
      role: 'producer',
    });
    expect(leaf!.notAfter.getTime() - leaf!.notBefore.getTime()).toBe(365 * 86_400_000);
    expect((await stat(res.keyPath)).mode & 0o777).toBe(0o600);
    const root = parseCertificates(await readFile(path.join(caDir, 'root.pem')));
    expect(verifyCertificateChain(chain, { anchors: root, at: new Date('2025-06-01Z') }).code).toBe('signingCredential.trusted');
    expect(int!.subject.text).toContain('Intermediate CA');
  });

  it('records a propagator role and accepts other key algorithms', async () => {
    const res = await issue({ service: 'platform', role: 'propagator', code: '001191000000EXAMPLEA2520000', alg: 'ed25519' });
    expect(roleOf(res.cert)).toBe('propagator');
    expect(res.cert.publicKeyInfo.type).toBe('Ed25519');
  });

  it.each([
    ['wrong length', '00119111010', /27-character provider code/],
    ['lowercase characters', '001191000000example01p10000', /only digits and uppercase/],
    ['wrong format code', '011191000000EXAMPLE01P10000', /positions 1-2/],
    ['wrong USCC check character', '001191000000EXAMPLE01Q10000', /GB 32100 check/],
    ['bad service type', '001191000000EXAMPLE01P90000', /position 23/],
  ])('rejects a provider code with %s', async (_what, code, message) => {
    await expect(issue({ code })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(issue({ code })).rejects.toThrow(message);
  });

  it('rejects a role that contradicts the code, and a validity beyond the intermediate', async () => {
    await expect(issue({ role: 'propagator' })).rejects.toThrow(/generation\/synthesis code .* role is propagator/);
    await expect(issue({ role: 'producer', code: '001191000000EXAMPLEB3920001' })).rejects.toThrow(/content-propagation code/);
    await expect(issue({ days: 3653, now: new Date(NOW.getTime() + 86_400_000) })).rejects.toThrow(/when the intermediate expires/);
    await expect(issue({ days: 0 })).rejects.toThrow(InvalidArgumentError);
  });

  it('fails clearly when the CA directory is missing or its key does not match', async () => {
    await expect(issue({ caDir: path.join(tmp, 'none') })).rejects.toThrow(/cannot read CA root certificate .*no such file/);
    const other = path.join(tmp, 'other');
    await initCa({ outDir: other, now: NOW });
    const mixed = path.join(tmp, 'mixed');
    await initCa({ outDir: mixed, now: NOW });
    await writeFile(path.join(mixed, 'intermediate.key'), await readFile(path.join(other, 'intermediate.key')));
    await expect(issue({ caDir: mixed })).rejects.toThrow(/does not match/);
  });
});

describe('revocation and CRLs', () => {
  it('revokes a certificate, writes a signed CRL v2 and bumps the CRL number', async () => {
    const a = await issue({ service: 'to-revoke' });
    const b = await issue({ service: 'kept' });
    const first = await revokeCertificate({ caDir, certPath: a.chainPath, now: new Date('2025-04-01Z') });
    expect(first).toEqual({ serial: a.cert.serialNumber, alreadyRevoked: false });
    expect((await revokeCertificate({ caDir, certPath: a.chainPath })).alreadyRevoked).toBe(true);
    expect((await readRevocationDb(caDir)).revoked).toHaveLength(1);

    const crlPath = path.join(tmp, 'crl.pem');
    const crl = await writeCrl({ caDir, outPath: crlPath, now: new Date('2025-04-02Z') });
    expect(crl.crlNumber).toBe('1');
    expect(crl.nextUpdate?.toISOString()).toBe('2025-04-09T00:00:00.000Z');
    const [parsed] = parseCrls(await readFile(crlPath));
    expect(parsed!.revoked.get(a.cert.serialNumber)?.toISOString()).toBe('2025-04-01T00:00:00.000Z');
    expect(parsed!.revoked.has(b.cert.serialNumber)).toBe(false);
    const ca = await loadCa(caDir);
    expect(checkCrlIssuer(parsed!, ca.intermediate)).toEqual({ ok: true });
    expect(checkCrlIssuer(parsed!, ca.root).ok).toBe(false);
    expect((await writeCrl({ caDir, outPath: crlPath, now: new Date('2025-04-03Z') })).crlNumber).toBe('2');

    const anchors = [ca.root];
    const at = new Date('2025-05-01Z');
    const revoked = verifyCertificateChain(parseCertificateChain(await readFile(a.chainPath)), { anchors, crls: [parsed!], at });
    expect(revoked.code).toBe('signingCredential.revoked');
    const before = verifyCertificateChain(parseCertificateChain(await readFile(a.chainPath)), {
      anchors,
      crls: [parsed!],
      at: new Date('2025-03-15Z'),
    });
    expect(before.code).toBe('signingCredential.trusted');
    expect(verifyCertificateChain(parseCertificateChain(await readFile(b.chainPath)), { anchors, crls: [parsed!], at }).code).toBe(
      'signingCredential.trusted',
    );
  });

  it('refuses to revoke a certificate from another CA', async () => {
    await expect(revokeCertificate({ caDir, certPath: gen('pki', 'es256', 'chain.pem') })).rejects.toBeInstanceOf(CertificateError);
    await expect(revokeCertificate({ caDir, certPath: gen('pki', 'es256', 'chain.pem') })).rejects.toThrow(/was not issued by the CA/);
  });

  it('reports a corrupt revocation database', async () => {
    const dir = path.join(tmp, 'corrupt-db');
    await initCa({ outDir: dir, now: NOW });
    await writeFile(path.join(dir, 'revoked.json'), '{"version":1,');
    await expect(writeCrl({ caDir: dir, outPath: path.join(tmp, 'x.pem') })).rejects.toThrow(/not a valid revocation database/);
  });
});
