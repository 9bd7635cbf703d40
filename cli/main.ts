/**
 * `aigc` command dispatcher. Each sub-command lives in `cli/commands/<name>.ts` and
 * exports `run(argv): Promise<number>` and `usage`. The CLI stays thin: it parses
 * arguments and calls the library.
 */
import { EXIT, exitCodeFor, printError } from './exit-codes.ts';

interface Command { run(argv: string[]): Promise<number>; usage: string; summary: string }

/** The commands, loaded on demand. */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  pki: () => import('./commands/pki.ts'),
  stamp: () => import('./commands/stamp.ts'),
  verify: () => import('./commands/verify.ts'),
  inspect: () => import('./commands/inspect.ts'),
  propagate: () => import('./commands/propagate.ts'),
  log: () => import('./commands/log.ts'),
  repo: async () => { const m = await import('./commands/recover.ts'); return { ...m, run: (a: string[]) => m.run(a) }; },
  recover: async () => { const m = await import('./commands/recover.ts'); return { ...m, run: (a: string[]) => m.run(['recover', ...a]) }; },
  signer: () => import('./commands/signer.ts'),
  watermark: () => import('./commands/watermark.ts'),
  decide: () => import('./commands/decide.ts'),
};

/** The top-level help text. */
export const HELP = `aigc — label AI-generated media (GB 45438-2025) and prove where it came from (C2PA)

Usage: aigc <command> [options]

Commands:
  pki init|issue|revoke|crl|show|verify
                                   certificate authority, service certificates, chain checks
  stamp IN -o OUT ...              add explicit + implicit labels and a signed C2PA manifest
  verify FILE [--trust roots.pem]  validate manifests, signatures, chains and labels
  inspect FILE                     the investigator's view of every manifest and label
  propagate IN -o OUT ...          platform upload check + propagation manifest
  log init|record|checkpoint|prove|audit|verify-proof|verify-consistency
                                   transparency log of recorded outputs
  repo add DIR FILE...             record outputs in a manifest repository
  recover FILE --repo DIR          find a stripped file's manifest (watermark or perceptual hash)
  signer keygen|serve              HSM key generation and a remote-signing gateway
  watermark embed|detect FILE      invisible watermark: embed a 64-bit id, or detect it
  decide FILE                      the platform's decision on an upload, nothing written

Run 'aigc <command> --help' for a command's options.
Exit codes: 0 ok, 64 usage error, 65 bad input data, 66 input not readable, 70 external tool failed,
77 refused by policy (an invalid upload, an existing key or output; the message names the flag).
verify: 0 Trusted, 1 Invalid, 2 no manifest and no label, 3 Valid but not trusted (or an unsigned label only).
`;

/** Run the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? EXIT.OK : EXIT.USAGE;
  }
  if (name === '--version') {
    process.stdout.write('aigc-provenance 0.1.0\n');
    return EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`aigc: unknown command '${name}'\n\n${HELP}`);
    return EXIT.USAGE;
  }
  try {
    const cmd = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(cmd.usage);
      return EXIT.OK;
    }
    return await cmd.run(rest);
  } catch (err) {
    printError(err);
    return exitCodeFor(err);
  }
}
