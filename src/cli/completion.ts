/**
 * `capi-gateway completion bash|zsh`: a completion script written from the commander tree itself
 * (commands, their flags, the words their first argument takes), so it never drifts from the CLI.
 */
import type { Command } from 'commander';

/** The words the first argument of a command takes (kinds and resources). */
const firstWords: Record<string, string[]> = {
  get: ['clusters', 'machines', 'machinedeployments', 'managementclusters', 'operations'],
  describe: ['cluster'],
  watch: ['cluster'],
  create: ['cluster'],
  scale: ['controlplane', 'machinedeployment', 'machinepool'],
  rollout: ['restart'],
  delete: ['cluster', 'machine'],
  completion: ['bash', 'zsh'],
};

function table(program: Command): Array<{ name: string; words: string[] }> {
  return program.commands.map((cmd) => ({
    name: cmd.name(),
    words: [
      ...(firstWords[cmd.name()] ?? []),
      ...cmd.options.flatMap((o) => [o.short, o.long].filter((f): f is string => Boolean(f))),
    ],
  }));
}

export function completionScript(program: Command, shell: string): string {
  const cmds = table(program);
  const names = cmds.map((c) => c.name).join(' ');
  const cases = cmds.map((c) => `    ${c.name}) words="${c.words.join(' ')}" ;;`).join('\n');
  const body = `_capi_gateway() {
  local cur words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names} --help --version" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=( $(compgen -W "$words --help" -- "$cur") )
}
complete -o default -F _capi_gateway capi-gateway
`;
  if (shell === 'bash')
    return `# capi-gateway bash completion: source <(capi-gateway completion bash)\n${body}`;
  // zsh runs the same function through its bash completion layer.
  return `#compdef capi-gateway\n# capi-gateway zsh completion: source <(capi-gateway completion zsh)\nautoload -U +X bashcompinit && bashcompinit\n${body}`;
}
