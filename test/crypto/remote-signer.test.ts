/**
 * Signing through a remote signing service (the KMS-gateway shape): the gateway runs as a
 * separate `aigc signer serve` process over a key in a SoftHSM2 token, so no key exists in
 * this process or in any file; outputs are Trusted in ours and the SDK (issue #13).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCa, issueForPublicKey } from '../../src/pki/ca.ts';
import { createRemoteSigner } from '../../src/crypto/remote-signer.ts';
import { publicKeyToPem } from '../../src/crypto/keys.ts';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { startSigningGateway } from '../../src/crypto/signing-gateway.ts';
import { stamp } from '../../src/service/stamp.ts';
import { verify } from '../../src/service/verify.ts';
import { InvalidArgumentError, KeyError, SigningError } from '../../src/errors.ts';
import { sdkRead } from '../sdk.ts';
import { gen, repo } from '../helpers.ts';
import { makeToken } from './softhsm.ts';

const CODE = '001191000000EXAMPLE01P10000';
const TOKEN = 'gateway-secret-token';
let dir: string;
let chainPath: string;
let anchorsPem: string;
let gateway: ChildProcess;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-remote-'));
  const token = await makeToken(path.join(dir, 'hsm'), 'gateway');
  await token.tool(['--keypairgen', '--key-type', 'EC:prime256v1', '--label', 'kms-key', '--id', '07']);
  await token.tool(['--read-object', '--type', 'pubkey', '--id', '07', '-o', path.join(dir, 'pub.der')]);
  const pub = createPublicKey({ key: await readFile(path.join(dir, 'pub.der')), format: 'der', type: 'spki' });
  await initCa({ outDir: path.join(dir, 'ca'), alg: 'es256' });
  anchorsPem = await readFile(path.join(dir, 'ca', 'root.pem'), 'utf8');
  ({ chainPath } = await issueForPublicKey({
    caDir: path.join(dir, 'ca'),
    outDir: path.join(dir, 'svc'),
    service: 'Example Remote Generator',
    org: 'Example Org (fictitious)',
    code: CODE,
    publicKeyPem: publicKeyToPem(pub),
  }));
  gateway = spawn(
    process.execPath,
    [repo('cli', 'aigc.js'), 'signer', 'serve', '--cert', chainPath, '--key', token.uri('kms-key'), '--token-env', 'GW_TOKEN'],
    {
      env: { ...process.env, SOFTHSM2_CONF: token.conf, GW_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    gateway.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /^(http:\/\/\S+\/sign)$/m.exec(buf);
      if (m) resolve(m[1]!);
    });
    gateway.once('exit', (code) => reject(new Error(`gateway exited ${code}`)));
  });
});
afterAll(async () => {
  gateway?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

describe('remote signer through `aigc signer serve` (key in a SoftHSM2 token)', () => {
  it('stamps JPEG and MP4 that are Trusted in ours and the SDK', async () => {
    const signer = await createRemoteSigner({ url, chainPath, token: TOKEN });
    expect(signer.alg).toBe('ES256');
    for (const rel of ['images/seed.jpg', 'video/seed.mp4']) {
      const out = path.join(dir, `remote-${path.basename(rel)}`);
      await stamp(gen(rel), { signer, producer: CODE, explicitLabel: false, output: out });
      expect((await verify(out, { trust: { anchorsPem } })).validation_state).toBe('Trusted');
      expect((await sdkRead(out, { anchorsPem }))?.validation_state).toBe('Trusted');
    }
  });

  it('the CLI stamps with --remote-signer', async () => {
    const out = path.join(dir, 'cli-remote.jpg');
    const child = spawn(
      process.execPath,
      [
        repo('cli', 'aigc.js'),
        'stamp',
        gen('images/seed.jpg'),
        '-o',
        out,
        '--cert',
        chainPath,
        '--remote-signer',
        url,
        '--signer-token-env',
        'GW_TOKEN',
        '--producer',
        CODE,
        '--no-explicit',
      ],
      { env: { ...process.env, GW_TOKEN: TOKEN } },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code, stderr).toBe(0);
    expect((await verify(out, { trust: { anchorsPem } })).validation_state).toBe('Trusted');
  });

  it('a missing or wrong token is refused by the gateway (401) and nothing is signed', async () => {
    await expect(createRemoteSigner({ url, chainPath })).rejects.toThrow(/HTTP 401/);
    await expect(createRemoteSigner({ url, chainPath, token: 'wrong' })).rejects.toThrow(SigningError);
  });
});

describe('remote signer failures', () => {
  it("a gateway whose key is not the certificate's is caught by the probe (KeyError)", async () => {
    const other = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
    const gw = await startSigningGateway({ signer: other });
    try {
      await expect(createRemoteSigner({ url: gw.url, chainPath })).rejects.toThrow(KeyError);
    } finally {
      await gw.close();
    }
  });

  it('a service that is down fails after its retries with a clear SigningError', async () => {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    await expect(createRemoteSigner({ url: `http://127.0.0.1:${port}/sign`, chainPath, retries: 1 })).rejects.toThrow(
      /remote signer .* failed/,
    );
  });

  it('a service that hangs times out', async () => {
    const srv = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    try {
      await expect(createRemoteSigner({ url: `http://127.0.0.1:${port}/sign`, chainPath, retries: 0, timeoutMs: 300 })).rejects.toThrow(
        /no answer within 300 ms/,
      );
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('a 5xx is retried, then succeeds', async () => {
    const real = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
    let calls = 0;
    const srv = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => {
        if (++calls === 1) {
          res.writeHead(503).end('busy');
          return;
        }
        void real.sign(Buffer.concat(parts)).then((sig) => res.writeHead(200).end(Buffer.from(sig)));
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const s = await createRemoteSigner({
        url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/sign`,
        chainPath: gen('pki', 'es256', 'chain.pem'),
      });
      expect(s.alg).toBe('ES256');
      expect(calls).toBe(2);
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('a non-HTTP URL is an InvalidArgumentError', async () => {
    await expect(createRemoteSigner({ url: 'file:///etc/passwd', chainPath })).rejects.toThrow(InvalidArgumentError);
  });
});
