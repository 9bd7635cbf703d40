/**
 * The service signs with whatever signer the server's configuration names: here a remote
 * signing gateway on loopback holding the producer key (the client never sees any of it).
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { loadSigner } from '../../src/crypto/local-signer.ts';
import { startSigningGateway } from '../../src/crypto/signing-gateway.ts';
import { verify } from '../../src/service/verify.ts';
import { gen } from '../helpers.ts';
import { post, startService, tempDir, testConfig, TOKEN } from './helpers.ts';

it('stamps through a remote signer configured on the server', async () => {
  const signer = await loadSigner({ chainPath: gen('pki', 'es256', 'chain.pem'), keyPath: gen('pki', 'es256', 'key.pem') });
  let signed = 0;
  const gw = await startSigningGateway({
    signer,
    token: 'gw-secret',
    onRequest: (e) => {
      if (e.status === 200) signed++;
    },
  });
  process.env.AIGC_TEST_GW_TOKEN = 'gw-secret';
  const spool = await tempDir('aigc-remote-');
  const { service, base } = await startService(
    testConfig(spool, {
      stamp: {
        signer: { type: 'remote', cert: gen('pki', 'es256', 'chain.pem'), url: gw.url, tokenEnv: 'AIGC_TEST_GW_TOKEN' },
        producer: '001191000000EXAMPLE01P10000',
      },
    }),
  );
  try {
    const before = signed;
    const r = await post(base, '/v1/stamp?explicit=false', readFileSync(gen('images', 'seed.png')), { authorization: `Bearer ${TOKEN}` });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    // The gateway counts a request when its answer has gone out, which may be just after ours.
    for (let i = 0; i < 100 && signed === before; i++) await new Promise((res) => setTimeout(res, 10));
    expect(signed).toBeGreaterThan(before);
    const report = await verify(new Uint8Array(await r.arrayBuffer()), {
      trust: { anchorsPem: readFileSync(gen('pki', 'roots.pem'), 'utf8') },
    });
    expect(report.validation_state).toBe('Trusted');
  } finally {
    await service.close();
    await gw.close();
    delete process.env.AIGC_TEST_GW_TOKEN;
    await rm(spool, { recursive: true, force: true });
  }
}, 60_000);
