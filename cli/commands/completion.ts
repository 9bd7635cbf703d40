/**
 * `aigc completion bash|zsh` — print a shell completion script: commands from the command
 * table, each command's options from its usage text, files for arguments.
 */
import { InvalidArgumentError } from '../../src/errors.ts';
import { EXIT } from '../exit-codes.ts';
import { COMMANDS } from '../main.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** Full usage text. */
export const usage = usageText('completion');

/** Every long option in a usage text. */
export function optionsOf(text: string): string[] {
  return [...new Set([...text.matchAll(/(?:^|[\s[|])(--[a-z][a-z0-9-]*)/gm)].map((m) => m[1]!))].filter((o) => o !== '--').sort();
}

async function table(): Promise<{ name: string; options: string[]; subs: string[] }[]> {
  const rows = COMMANDS.filter((c) => c.name !== 'completion');
  const mods = await Promise.all(rows.map((c) => c.load()));
  return rows.map((c, i) => ({
    name: c.name,
    options: [...new Set([...optionsOf(mods[i]!.usage), '--help', '--lang'])],
    subs: /^[a-z-]+(\|[a-z-]+)+$/.test(c.synopsis.split(' ')[0]!) ? c.synopsis.split(' ')[0]!.split('|') : [],
  }));
}

/** The bash completion script. */
export async function bashScript(): Promise<string> {
  const t = await table();
  const cases = t.map((c) => `    ${c.name}) opts="${c.options.join(' ')}"; subs="${c.subs.join(' ')}" ;;`).join('\n');
  return `# bash completion for aigc (aigc completion bash)
_aigc() {
  local cur cmd opts subs
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${[...t.map((c) => c.name), 'completion', '--help', '--version'].join(' ')}" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    completion) COMPREPLY=( $(compgen -W "bash zsh" -- "$cur") ); return ;;
    *) return ;;
  esac
  if [ "$COMP_CWORD" -eq 2 ] && [ -n "$subs" ]; then
    COMPREPLY=( $(compgen -W "$subs" -- "$cur") ); return
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -o bashdefault -F _aigc aigc
`;
}

/** The zsh completion script. */
export async function zshScript(): Promise<string> {
  const t = await table();
  const cases = t.map((c) => `    ${c.name}) opts=(${c.options.join(' ')}); subs=(${c.subs.join(' ')}) ;;`).join('\n');
  return `#compdef aigc
# zsh completion for aigc (aigc completion zsh)
_aigc() {
  local -a opts subs
  if (( CURRENT == 2 )); then
    compadd -- ${[...t.map((c) => c.name), 'completion', '--help', '--version'].join(' ')}
    return
  fi
  case "\${words[2]}" in
${cases}
    completion) compadd -- bash zsh; return ;;
    *) return ;;
  esac
  if (( CURRENT == 3 )) && (( \${#subs} > 0 )); then compadd -- $subs; return; fi
  if [[ "$PREFIX" == -* ]]; then compadd -- $opts; else _files; fi
}
compdef _aigc aigc 2>/dev/null || true
`;
}

/**
 * Run `aigc completion bash|zsh`.
 * @throws {InvalidArgumentError} for another shell.
 */
export async function run(argv: string[]): Promise<number> {
  const shell = argv[0];
  if (argv.length !== 1 || (shell !== 'bash' && shell !== 'zsh')) throw InvalidArgumentError.expected('bash or zsh', 'SHELL', shell);
  process.stdout.write(shell === 'bash' ? await bashScript() : await zshScript());
  return EXIT.OK;
}
