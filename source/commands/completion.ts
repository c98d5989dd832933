// `nsdeck completion bash|zsh|fish`: the shell's side of Tab. Each script only hands the words typed so far to
// `nsdeck __complete SHELL ...` (complete.ts, which knows the commands, flags and the store's names) and shows what
// comes back. No bash-completion package is needed, and route targets (`target:64512:1`) and `--flag=value` complete
// although bash splits words at ':' and '='.
import {fail} from '../core/errors.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Single-quoted for sh, zsh and fish alike (none of the three expands anything inside). */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const SCRIPTS: Record<Shell, (self: string) => string> = {
	bash: self => `# nsdeck: bash completion of commands, flags and the store's names (networks, apps, route targets).
# Load it with: source <(nsdeck completion bash)   or save it: nsdeck completion bash > /etc/bash_completion.d/nsdeck
_nsdeck() {
	local line=\${COMP_LINE:0:COMP_POINT} out c
	local -a words
	# nsdeck's words are split at blanks (bash's COMP_WORDS are also split at ':' and '=')
	read -ra words <<< "$line"
	[[ $line == *[[:blank:]] ]] && words+=('')
	local word=\${words[\${#words[@]}-1]}
	out=$(${self} __complete bash "\${words[@]:1}" 2>/dev/null) || return 0
	if [[ $out == :files ]]; then
		compopt -o default 2>/dev/null
		COMPREPLY=()
		return 0
	fi
	# readline replaces only what follows the word's last ':' or '=' (when they break words): hand back that part
	local tail=$word
	[[ $COMP_WORDBREAKS == *:* ]] && tail=\${tail##*:}
	[[ $COMP_WORDBREAKS == *=* ]] && tail=\${tail##*=}
	local skip=$(( \${#word} - \${#tail} ))
	COMPREPLY=()
	local IFS=$'\\n'
	for c in $out; do COMPREPLY+=("\${c:skip}"); done
}
complete -F _nsdeck nsdeck
`,
	zsh: self => `#compdef nsdeck
# nsdeck: zsh completion of commands, flags and the store's names (networks, apps, route targets).
# Load it with: source <(nsdeck completion zsh)   (after compinit)   or save it as _nsdeck in a directory of $fpath
_nsdeck() {
	local out
	local -a candidates
	out=$(${self} __complete zsh "\${(@)words[2,CURRENT-1]}" "$PREFIX" 2>/dev/null) || return 1
	if [[ $out == :files ]]; then
		_files
		return
	fi
	[[ -n $out ]] || return 1
	candidates=("\${(@f)out}")
	_describe -t nsdeck nsdeck candidates
}
if [[ $funcstack[1] == _nsdeck ]]; then _nsdeck "$@"; else compdef _nsdeck nsdeck; fi
`,
	fish: self => `# nsdeck: fish completion of commands, flags and the store's names (networks, apps, route targets).
# Load it with: nsdeck completion fish | source   or save it: nsdeck completion fish > ~/.config/fish/completions/nsdeck.fish
function __nsdeck_complete
	set -l tokens (commandline -opc)
	set -l out (${self} __complete fish $tokens[2..-1] (commandline -ct) 2>/dev/null)
	if test "$out" = ':files'
		__fish_complete_path (commandline -ct)
		return
	end
	printf '%s\\n' $out
end
complete -c nsdeck -f -a '(__nsdeck_complete)'
`,
};

/** The script for one shell; it calls back this very nsdeck (node and its script, by absolute path). */
export function completionScript(shell: string, argv: readonly string[] = process.argv): string {
	if (!(SHELLS as readonly string[]).includes(shell)) fail(`unknown shell '${shell}': bash, zsh or fish`);
	return SCRIPTS[shell as Shell](`${q(argv[0]!)} ${q(argv[1]!)}`);
}
