/**
 * `gather completion bash|zsh`: a completion script built from the commands and flags the program
 * defines, so it never drifts from them. Flags that take a value complete files where that makes
 * sense; `--format` and `--color` complete their words.
 */
import type { Command } from 'commander';

/**
 * The completion script for `shell`, for `eval "$(gather completion bash)"` in ~/.bashrc, or
 * `gather completion zsh > "${fpath[1]}/_gather"`.
 *
 * @example
 * ```ts
 * process.stdout.write(completionScript('bash', program));
 * ```
 */
export function completionScript(shell: 'bash' | 'zsh', program: Command): string {
  const commands = program.commands.map((c) => c.name());
  const flags: Record<string, string[]> = {};
  for (const command of program.commands) {
    flags[command.name()] = command.options.flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined)).concat('--help');
  }
  return shell === 'bash' ? bashScript(commands, flags) : zshScript(commands, flags);
}

const WORDS: Record<string, string> = {
  '--format': 'table jsonl csv json',
  '-f': 'table jsonl csv json',
  '--color': 'auto always never',
};

function bashScript(commands: string[], flags: Record<string, string[]>): string {
  const cases = commands.map((c) => `    ${c}) opts="${flags[c].join(' ')}" ;;`).join('\n');
  const words = Object.entries(WORDS).map(([flag, w]) => `    ${flag}) COMPREPLY=($(compgen -W "${w}" -- "$cur")); return ;;`).join('\n');
  return `# gather completion for bash: eval "$(gather completion bash)"
_gather() {
  local cur prev cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commands.join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
${words}
    -o|--output|-l|--list) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  cmd="\${COMP_WORDS[1]}"
  case "$cmd" in
${cases}
    completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")); return ;;
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _gather gather
`;
}

function zshScript(commands: string[], flags: Record<string, string[]>): string {
  const cases = commands.map((c) => `    ${c}) opts=(${flags[c].join(' ')}) ;;`).join('\n');
  const words = Object.entries(WORDS).map(([flag, w]) => `    ${flag}) compadd -- ${w}; return ;;`).join('\n');
  return `#compdef gather
# gather completion for zsh: gather completion zsh > "\${fpath[1]}/_gather", or eval "$(gather completion zsh)"
_gather() {
  local -a opts
  if (( CURRENT == 2 )); then
    compadd -- ${commands.join(' ')} --help --version
    return
  fi
  case "\${words[CURRENT-1]}" in
${words}
    -o|--output|-l|--list) _files; return ;;
  esac
  case "\${words[2]}" in
${cases}
    completion) compadd -- bash zsh; return ;;
  esac
  if [[ "\${words[CURRENT]}" == -* ]]; then
    compadd -- $opts
  else
    _files
  fi
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then _gather "$@"; else compdef _gather gather; fi
`;
}
