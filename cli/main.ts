/**
 * `aigc` command dispatcher. One row per command in {@link COMMANDS}: its name, synopsis,
 * summary and a lazy loader of `cli/commands/<name>.ts` (which exports `run(argv)` and
 * `usage`), so `aigc --version` and a command's `--help` load only what they need.
 */
import { EXIT, EXIT_TABLE, exitCodeFor, printError } from './exit-codes.ts';
import { InvalidArgumentError } from '../src/errors.ts';
import { isMessageKey, t, type Lang, type MessageKey } from '../src/i18n/lang.ts';
import { usageBlocks } from '../src/i18n/usage.ts';

export { usageBlocks };
import { cliLang, setCliLang, takeLang } from './lang.ts';

/** What a command module exports. */
export interface Command {
  run(argv: string[]): Promise<number>;
  usage: string;
}

/** One row of the command table. */
export interface CommandRow {
  readonly name: string;
  /** Arguments shown in `aigc --help`. */
  readonly synopsis: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

/** Every command, in `aigc --help` order. Add a command with one row here. */
export const COMMANDS: readonly CommandRow[] = [
  {
    name: 'pki',
    synopsis: 'init|issue|revoke|crl|show|verify|issue-tsa|issue-ocsp|ocsp-serve',
    summary: 'certificate authority, service, TSA and OCSP certificates, chain checks, an OCSP responder',
    load: () => import('./commands/pki.ts'),
  },
  {
    name: 'stamp',
    synopsis: 'IN... -o OUT ...',
    summary: 'add explicit + implicit labels and a signed C2PA manifest',
    load: () => import('./commands/stamp.ts'),
  },
  {
    name: 'verify',
    synopsis: 'FILE|DIR|-... [--trust roots.pem]',
    summary: 'validate manifests, signatures, chains and labels',
    load: () => import('./commands/verify.ts'),
  },
  {
    name: 'inspect',
    synopsis: 'FILE|DIR|-...',
    summary: "the investigator's view of every manifest and label",
    load: () => import('./commands/inspect.ts'),
  },
  {
    name: 'propagate',
    synopsis: 'IN -o OUT ...',
    summary: 'platform upload check + propagation manifest',
    load: () => import('./commands/propagate.ts'),
  },
  {
    name: 'tsa',
    synopsis: 'serve --cert C --key K',
    summary: 'RFC 3161 time-stamping authority (loopback)',
    load: () => import('./commands/tsa.ts'),
  },
  {
    name: 'decide',
    synopsis: 'FILE',
    summary: "the platform's decision on an upload, nothing written",
    load: () => import('./commands/decide.ts'),
  },
  {
    name: 'log',
    synopsis: 'init|record|checkpoint|prove|audit|verify-proof|verify-consistency',
    summary: 'transparency log of recorded outputs',
    load: () => import('./commands/log.ts'),
  },
  {
    name: 'repo',
    synopsis: 'add DIR FILE...',
    summary: 'record outputs in a manifest repository',
    load: async () => {
      const m = await import('./commands/recover.ts');
      return { ...m, run: (a: string[]) => m.run(a) };
    },
  },
  {
    name: 'recover',
    synopsis: 'FILE --repo DIR',
    summary: "find a stripped file's manifest (watermark or perceptual hash)",
    load: async () => {
      const m = await import('./commands/recover.ts');
      return { ...m, run: (a: string[]) => m.run(['recover', ...a]) };
    },
  },
  {
    name: 'signer',
    synopsis: 'keygen|serve',
    summary: 'HSM key generation and a remote-signing gateway',
    load: () => import('./commands/signer.ts'),
  },
  {
    name: 'serve',
    synopsis: '[--config FILE]',
    summary: 'HTTP API (verify, inspect, decide, propagate, stamp)',
    load: () => import('./commands/serve.ts'),
  },
  {
    name: 'worker',
    synopsis: '--queue redis://...',
    summary: "process queued jobs of 'aigc serve --queue'",
    load: () => import('./commands/worker.ts'),
  },
  {
    name: 'trust',
    synopsis: 'show',
    summary: 'the trust lists and anchors in force (bundled C2PA lists by default)',
    load: () => import('./commands/trust.ts'),
  },
  {
    name: 'watermark',
    synopsis: 'embed|detect FILE',
    summary: 'invisible watermark: embed a 64-bit id, or detect it',
    load: () => import('./commands/watermark.ts'),
  },
  { name: 'completion', synopsis: 'bash|zsh', summary: 'print a shell completion script', load: () => import('./commands/completion.ts') },
];

/** The package version (kept in step with package.json by test/cli/exit-codes.test.ts). */
export const VERSION = '0.1.0';

/** `aigc --help`: the command table and the exit codes, in `lang` (default: the run's language). */
export function helpText(lang: Lang = cliLang()): string {
  const summary = (c: CommandRow) => (lang === 'en' ? c.summary : t(lang, `cmd.${c.name}` as MessageKey));
  const width = Math.min(36, Math.max(...COMMANDS.map((c) => c.name.length + c.synopsis.length + 1)));
  const rows = COMMANDS.map((c) => {
    const head = `${c.name} ${c.synopsis}`;
    return head.length > width ? `  ${head}\n  ${''.padEnd(width)}  ${summary(c)}` : `  ${head.padEnd(width)}  ${summary(c)}`;
  });
  const exits = EXIT_TABLE.map(
    (e) => `  ${String(e.code).padStart(2)}  ${lang === 'en' ? e.meaning : t(lang, `exit.${e.code}` as MessageKey)}`,
  );
  return `${t(lang, 'help.title')}

${t(lang, 'help.usage')}

${t(lang, 'help.commands')}
${rows.join('\n')}

${t(lang, 'help.more')}
${t(lang, 'help.lang')}
${t(lang, 'help.exits')}
${exits.join('\n')}
`;
}

/**
 * A command's `--help`: its usage; in Chinese headed by its translated summary, with the option
 * descriptions from the catalogue (`usage.<name>`; option names, values and codes as they are).
 */
export function commandHelp(row: CommandRow, usage: string, lang: Lang = cliLang()): string {
  if (lang === 'en') return usage;
  const key = `usage.${row.name}`;
  const text = isMessageKey(key) ? t(lang, key, usageBlocks(lang)) : usage;
  return `${t(lang, 'help.commandHead', { name: row.name, summary: t(lang, `cmd.${row.name}` as MessageKey) })}\n\n${text}`;
}

/** Run the CLI with `argv` (without node and script); returns the exit code. Never throws. */
export async function main(args: string[]): Promise<number> {
  let argv: string[];
  try {
    const taken = takeLang(args);
    setCliLang(taken.lang);
    argv = taken.argv;
  } catch (err) {
    setCliLang(undefined);
    printError(err);
    return EXIT.USAGE;
  }
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText());
    return EXIT.OK;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`aigc-provenance ${VERSION}\n`);
    return EXIT.OK;
  }
  const row = COMMANDS.find((c) => c.name === name);
  if (!row) {
    printError(
      name
        ? new InvalidArgumentError(`unknown command '${name}'`, { detail: { key: 'err.unknownCommand', params: { name } } })
        : new InvalidArgumentError('missing command', { detail: { key: 'err.missingCommand', params: {} } }),
    );
    return EXIT.USAGE;
  }
  try {
    const cmd = await row.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(commandHelp(row, cmd.usage));
      return EXIT.OK;
    }
    return await cmd.run(rest);
  } catch (err) {
    printError(err, name);
    return exitCodeFor(err);
  }
}
