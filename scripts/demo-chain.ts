/**
 * The distribution-chain part of the demo: a producer's stamped image is uploaded to
 * platform A (check + propagate), then platform B (transcode + propagate); the final file
 * is verified and shown as `aigc inspect` shows it, creation at the root.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decide } from '../src/service/decide.ts';
import { issueServiceCertificate } from '../src/pki/ca.ts';
import { loadSigner } from '../src/crypto/local-signer.ts';
import { propagate } from '../src/service/propagate.ts';
import { inspect, formatInspectTree } from '../src/service/inspect.ts';
import type { PkiDemoResult } from './pki/demo.ts';

const PLATFORMS = [
  { dir: 'platform-a', service: 'Demo Video Platform A', org: 'Example Platform A Co', code: '001191000000EXAMPLEA2520001' },
  { dir: 'platform-b', service: 'Demo Social Platform B', org: 'Example Platform B Co', code: '001191000000EXAMPLEB3920001' },
];

/** Run the chain demo on the stamped JPEG of the main demo. */
export async function chainDemo(outDir: string, pki: PkiDemoResult, anchorsPem: string): Promise<void> {
  console.log('\n== Distribution chain: producer -> platform A (publish) -> platform B (transcode)');
  let current = path.join(outDir, 'stamped', 'ai.jpg');
  for (const [i, p] of PLATFORMS.entries()) {
    await rm(path.join(outDir, p.dir), { recursive: true, force: true }); // the demo recreates its credentials
    const issued = await issueServiceCertificate({
      caDir: pki.caDir,
      outDir: path.join(outDir, p.dir),
      service: p.service,
      org: p.org,
      code: p.code,
      role: 'propagator',
    });
    const signer = await loadSigner({ chainPath: issued.chainPath, keyPath: issued.keyPath });
    const output = path.join(outDir, 'stamped', `ai-${p.dir}.jpg`);
    const r = await propagate(current, {
      signer,
      propagator: p.code,
      trust: { anchorsPem },
      output,
      ...(i === 1 ? { transcode: { maxSide: 192, quality: 80 } } : {}),
    });
    console.log(
      `${p.service}: upload was ${r.incoming.validation_state}; prompt "${r.decision.prompt}"; published ${path.basename(output)}`,
    );
    console.log(`  decision JSON: ${JSON.stringify({ prompt: r.decision.prompt, label: r.decision.label, reasons: r.decision.reasons })}`);
    current = output;
  }
  // No laundering: a copy of the producer's file with one content byte flipped is refused.
  const tampered = path.join(outDir, 'stamped', 'ai-tampered.jpg');
  const bytes = Buffer.from(await readFile(path.join(outDir, 'stamped', 'ai.jpg')));
  bytes[bytes.length - 200] ^= 0x01;
  await writeFile(tampered, bytes);
  const { decision } = await decide(tampered, { trust: { anchorsPem } });
  console.log(`\n$ aigc decide ${path.relative(process.cwd(), tampered)}   # one content byte flipped`);
  console.log(`policy: ${decision.policy?.verdict}; ${decision.reasons[0]}`);
  console.log(`\n$ aigc inspect ${path.relative(process.cwd(), current)} --trust ${path.relative(process.cwd(), pki.rootPath)}`);
  const report = await inspect(current, { trust: { anchorsPem } });
  console.log(formatInspectTree(report));
}
