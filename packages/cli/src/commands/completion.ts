import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';

/** The parts of the command table completion reads (passed in: a command never imports the table). */
export interface CompletionSource {
  commandTable: ReadonlyArray<{ name: string; parent?: string; options: ReadonlyArray<{ flags: string }> }>;
  commandGroups: Readonly<Record<string, unknown>>;
  commonOptions: ReadonlyArray<{ flags: string }>;
}

/** The shells `procvision completion` writes a script for. */
export const completionShells = ['bash', 'zsh', 'fish'] as const;

/** The words one command line position can take: commands, subcommands and each command's flags. */
interface Words {
  top: string[];
  groups: Record<string, string[]>;
  flags: Record<string, string[]>;
}

function longFlags(flags: string): string[] {
  return flags
    .split(/[ ,|]+/)
    .filter((word) => word.startsWith('-'))
    .map((word) => word.replace(/[<[].*$/, ''));
}

/** Every word, from the one command table (so a new command or flag completes without edits here). */
function words({ commandTable, commandGroups, commonOptions }: CompletionSource): Words {
  const common = commonOptions.flatMap((option) => longFlags(option.flags));
  const top = [...commandTable.filter((spec) => spec.parent === undefined).map((spec) => spec.name), ...Object.keys(commandGroups)];
  const groups: Record<string, string[]> = {};
  const flags: Record<string, string[]> = {};
  for (const spec of commandTable) {
    const path = spec.parent === undefined ? spec.name : `${spec.parent} ${spec.name}`;
    if (spec.parent !== undefined) (groups[spec.parent] ??= []).push(spec.name);
    flags[path] = [...spec.options.flatMap((option) => longFlags(option.flags)), ...common, '--help'];
  }
  return { top: [...top, 'help'], groups, flags };
}

function bash(w: Words): string {
  const cases = Object.entries(w.flags)
    .map(([path, flags]) => `    '${path}') words='${flags.join(' ')}' ;;`)
    .join('\n');
  const groupCases = Object.entries(w.groups)
    .map(([group, subs]) => `    '${group}') words='${subs.join(' ')}' ;;`)
    .join('\n');
  return `# procvision completion for bash: save as ~/.local/share/bash-completion/completions/procvision
#   (or add "source <(procvision completion bash)" to ~/.bashrc)
_procvision() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) if [ -z "$path" ]; then path="\${COMP_WORDS[i]}"; elif [[ " ${Object.keys(w.groups).join(' ')} " == *" $path "* ]]; then path="$path \${COMP_WORDS[i]}"; break; else break; fi ;; esac
  done
  if [[ "$cur" == -* ]]; then
    case "$path" in
${cases}
    *) words='--help --version' ;;
    esac
  elif [ -z "$path" ]; then
    words='${w.top.join(' ')}'
  else
    case "$path" in
${groupCases}
    *) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _procvision procvision
`;
}

function zsh(w: Words): string {
  // zsh runs the bash function through its bashcompinit layer: one completion logic for both.
  const body = bash(w).split('\n').slice(2).join('\n');
  return `#compdef procvision
# procvision completion for zsh: add to ~/.zshrc
#   source <(procvision completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${body}`;
}

function fish(w: Words): string {
  const lines = ['# procvision completion for fish: procvision completion fish > ~/.config/fish/completions/procvision.fish', 'complete -c procvision -f'];
  const groupNames = Object.keys(w.groups);
  lines.push(`complete -c procvision -n '__fish_use_subcommand' -a '${w.top.join(' ')}'`);
  for (const [group, subs] of Object.entries(w.groups)) {
    lines.push(
      `complete -c procvision -n '__fish_seen_subcommand_from ${group}; and not __fish_seen_subcommand_from ${subs.join(' ')}' -a '${subs.join(' ')}'`,
    );
  }
  for (const [path, flags] of Object.entries(w.flags)) {
    const [first, second] = path.split(' ');
    const condition =
      second === undefined
        ? `__fish_seen_subcommand_from ${first}; and not __fish_seen_subcommand_from ${groupNames.join(' ')}`
        : `__fish_seen_subcommand_from ${first}; and __fish_seen_subcommand_from ${second}`;
    for (const flag of flags.filter((item) => item.startsWith('--'))) {
      lines.push(`complete -c procvision -n '${condition}' -l ${flag.slice(2)} -r -F`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `procvision completion bash|zsh|fish`: prints the shell's completion script (commands, subcommands, flags). */
export function completionCommand(shell: string, output: Output, source: CompletionSource): Promise<number> {
  const w = words(source);
  const scripts: Record<(typeof completionShells)[number], () => string> = { bash: () => bash(w), zsh: () => zsh(w), fish: () => fish(w) };
  if (!(completionShells as readonly string[]).includes(shell)) {
    throw new UsageError(`no completion for shell '${shell}': choose ${completionShells.join(', ')}.`, {
      example: 'procvision completion bash > ~/.local/share/bash-completion/completions/procvision',
    });
  }
  const script = scripts[shell as (typeof completionShells)[number]]();
  output.result({ shell, script }, () => script);
  return Promise.resolve(ExitCodes.success);
}
