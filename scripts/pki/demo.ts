/**
 * The PKI part of `npm run demo`: create a demo trust root, issue a service certificate
 * for an AI image generator, show it and validate its chain. `scripts/demo.ts` calls
 * {@link pkiDemo}; it can also run alone: `npx tsx scripts/pki/demo.ts [OUT_DIR]`.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initCa, issueServiceCertificate } from '../../src/pki/ca.ts';
import { verifyCertificateChain } from '../../src/pki/chain.ts';
import { formatCertificateSummary, summarizeCertificate } from '../../src/pki/summary.ts';

/** Paths the demo produced, for later demo steps (stamping, verifying). */
export interface PkiDemoResult {
  readonly caDir: string;
  readonly rootPath: string;
  readonly chainPath: string;
  readonly keyPath: string;
}

/** Run the PKI demo into `outDir` (recreated), printing through `log`. */
export async function pkiDemo(outDir: string, log: (line: string) => void = console.log): Promise<PkiDemoResult> {
  const caDir = path.join(outDir, 'ca');
  const svcDir = path.join(outDir, 'service');
  await rm(caDir, { recursive: true, force: true });
  await rm(svcDir, { recursive: true, force: true });
  const ca = await initCa({ outDir: caDir, alg: 'es256', org: 'AIGC Demo Trust' });
  log(`1. demo trust root: ${ca.root.subject.text} (${ca.files.root})`);
  const issued = await issueServiceCertificate({
    caDir,
    outDir: svcDir,
    service: 'Demo Image Generator',
    org: 'Example AIGC Co',
    code: '001191000000EXAMPLE01P10000',
    role: 'producer',
  });
  log(`2. service certificate: ${issued.chainPath} (key ${issued.keyPath}, mode 0600)`);
  log(formatCertificateSummary(summarizeCertificate(issued.cert)));
  const result = verifyCertificateChain([issued.cert, ca.intermediate], { anchors: [ca.root] });
  log(`3. chain check with the demo root as the only anchor: ${result.code}`);
  return { caDir, rootPath: ca.files.root, chainPath: issued.chainPath, keyPath: issued.keyPath };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await pkiDemo(path.resolve(process.argv[2] ?? 'demo-out'));
}
