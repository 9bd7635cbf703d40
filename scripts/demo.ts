/**
 * `npm run demo`: the main job on built-in defaults. Makes a demo trust root and a
 * service certificate, stamps every fixture medium (explicit label, GB 45438 implicit
 * label, signed C2PA manifest, RFC 3161 time-stamp from a local `aigc tsa`-style responder),
 * verifies each against the demo root and prints the reports.
 * Everything goes to `demo-out/`.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import sharp from 'sharp';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFixtures, GENERATED_DIR } from './make-fixtures.ts';
import { pkiDemo } from './pki/demo.ts';
import { loadSigner } from '../src/crypto/local-signer.ts';
import { stamp } from '../src/service/stamp.ts';
import { verify } from '../src/service/verify.ts';
import { ToolkitError } from '../src/errors.ts';
import { chainDemo } from './demo-chain.ts';
import { issueServiceCertificateFor } from '../src/pki/tsa-cert.ts';
import { startTsaServer } from '../src/tsa/server.ts';
import { loadPrivateKey, readPkiFile } from '../src/crypto/keys.ts';
import { parseCertificateChain } from '../src/pki/certificate.ts';

const OUT = path.resolve(fileURLToPath(new URL('../demo-out/', import.meta.url)));
const PRODUCER = '001191000000EXAMPLE01P10000';
const MEDIA = [
  'images/seed.jpg',
  'images/seed.png',
  'demo/seed.webp',
  'audio/seed.wav',
  'audio/seed.mp3',
  'audio/seed.flac',
  'video/seed.m4a',
  'video/seed.mp4',
  'video/seed.mov',
];

async function main(): Promise<void> {
  console.log('== aigc-provenance demo ==\n');
  console.log('Preparing fixture media (scripts/fixtures/*) ...');
  await makeFixtures();
  await mkdir(OUT, { recursive: true });
  // The WebP seeds are tiny (hostile-format tests); make a 256 px one for the visible label.
  await mkdir(path.join(GENERATED_DIR, 'demo'), { recursive: true });
  await sharp(path.join(GENERATED_DIR, 'images/seed.jpg')).webp({ quality: 90 }).toFile(path.join(GENERATED_DIR, 'demo/seed.webp'));

  console.log('\n== Certificates');
  const pki = await pkiDemo(OUT);
  const signer = await loadSigner({ chainPath: pki.chainPath, keyPath: pki.keyPath });
  const anchorsPem = await readFile(pki.rootPath, 'utf8');
  // A time-stamping authority of the demo CA on loopback (what `aigc tsa serve` runs).
  const tsaCert = await issueServiceCertificateFor({ kind: 'tsa', caDir: pki.caDir, outDir: path.join(OUT, 'tsa') });
  const tsa = await startTsaServer({
    chain: parseCertificateChain(await readPkiFile(tsaCert.chainPath, 'TSA chain')),
    key: await loadPrivateKey({ keyPath: tsaCert.keyPath }),
  });
  console.log(`TSA: ${tsaCert.cert.subject.text} at ${tsa.url}`);

  console.log('\n== Stamp and verify (explicit label + GB 45438 implicit label + C2PA manifest + time-stamp)');
  const stampedDir = path.join(OUT, 'stamped');
  // The demo recreates its own outputs (stamp and propagate refuse to replace files without force).
  await rm(stampedDir, { recursive: true, force: true });
  await mkdir(stampedDir, { recursive: true });
  let firstReport: unknown;
  for (const rel of MEDIA) {
    const input = path.join(GENERATED_DIR, rel);
    const output = path.join(
      stampedDir,
      path
        .basename(rel)
        .replace(/^seed[-.]?/, 'ai-')
        .replace(/^ai-(\w+)$/, 'ai.$1'),
    );
    const r = await stamp(input, { signer, producer: PRODUCER, model: 'demo-model-v1', output, tsa: tsa.url });
    const report = await verify(output, { trust: { anchorsPem } });
    firstReport ??= report;
    const failures = report.validation_results?.activeManifest.failure.map((f) => f.code) ?? [];
    console.log(
      `${path.basename(output).padEnd(16)} ${r.format.padEnd(16)} explicit=${(r.explicit?.kind ?? 'none').padEnd(13)} ` +
        `verify=${String(report.validation_state).padEnd(7)} label=${report.labels.gb45438 ? report.labels.gb45438.found_in.join('+') : 'none'}` +
        `${failures.length ? ` failures=${failures.join(',')}` : ''}`,
    );
  }
  await tsa.close();
  console.log(`(${tsa.served()} time-stamps issued; each file stays Trusted after its certificate expires: try --at 2030-01-01)`);
  console.log('\nFull verification report of the stamped JPEG:');
  console.log(JSON.stringify(firstReport, null, 2));

  await chainDemo(OUT, pki, anchorsPem);
  console.log(`\nAll outputs are in ${OUT}`);
}

main().catch((err) => {
  if (err instanceof ToolkitError) console.error(`demo failed [${err.code}]: ${err.message}`);
  else console.error('demo failed:', err);
  process.exitCode = 1;
});
