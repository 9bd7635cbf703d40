/**
 * `aigc inspect FILE|DIR|-...` — the investigator's view: every manifest (active first), signer,
 * actions, ingredients and assertions, the GB 45438 label decoded, the provenance chain
 * and every validation code, as a tree or as the full JSON report.
 */
import { BATCH_USAGE } from '../batch/options.ts';
import { runVerifyLike } from './verify.ts';
import { extractTo, printCerts } from './inspect-extract.ts';

/** One-line description for `aigc --help`. */
export const summary = "the investigator's view of every manifest and label";

/** Full usage text. */
export const usage = `Usage: aigc inspect FILE|DIR|-... [--trust roots.pem]... [--allowed list.pem] [--crl crl.pem]... [--at ISO-DATE] [--json|--jsonl]

Show everything in each file: the C2PA manifest store (every manifest, active first, with its
signer — subject, issuer, serial, time, provider code —, actions, ingredients and
assertions), the GB 45438 label with provider codes decoded and where it was found, the
provenance chain (creation at the root) and each validation code with its explanation.
Trust options as for 'aigc verify'. --json prints the full report.

  --certs         print the active manifest's signer chain as PEM (leaf first), nothing else
  --extract DIR   write the manifest store (manifest_store.c2pa) and, per manifest, a store of
                  its own (NN-LABEL.c2pa: the manifests up to it, so an ingredient's can be read
                  alone), its claim (CBOR), its COSE signature, its signer chain (PEM) and its
                  thumbnails into DIR

${BATCH_USAGE}
Exit codes: as 'aigc verify' (0 Trusted, 1 Invalid, 2 nothing found, 3 Valid but not trusted
or label only, 66 unreadable; a batch or --require: 0 when every file meets the bar, else 1;
64 usage error).
`;

/** Run `aigc inspect`. */
export async function run(argv: string[]): Promise<number> {
  return runVerifyLike('inspect', argv, {
    options: { certs: { type: 'boolean' }, extract: { type: 'string' } },
    run: (file, v) => (v.certs ? printCerts(file) : typeof v.extract === 'string' ? extractTo(file, v.extract) : undefined),
  });
}
