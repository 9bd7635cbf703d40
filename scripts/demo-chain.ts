/**
 * The distribution-chain part of the demo (issue #6): filled in when `propagate` lands.
 * Until then it only says so.
 */
import type { PkiDemoResult } from './pki/demo.ts';

/** Run the chain demo. */
export async function chainDemo(_outDir: string, _pki: PkiDemoResult, _anchorsPem: string): Promise<void> {
  console.log('\n== Distribution chain: not available yet (aigc propagate is issue #6)');
}
