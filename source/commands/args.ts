import {fail} from '../core/errors.js';

export type FlagSpec = {readonly kind: 'bool' | 'value' | 'list'; readonly short?: string};
export type CommandSpec = {
	readonly usage: string;
	readonly flags?: Readonly<Record<string, FlagSpec>>;
	readonly positionals?: readonly string[];
	/** positionals that may be left out (from the end) */
	readonly optional?: number;
	/** accept `-- COMMAND...` */
	readonly rest?: boolean;
	/** Python argparse's forms too, as the original scripts took them: `-nVALUE`, and an unambiguous prefix of a long flag */
	readonly argparse?: boolean;
};

export type Parsed = {
	readonly flags: Record<string, string | boolean | string[] | undefined>;
	readonly args: Record<string, string | undefined>;
	readonly rest?: string[];
};

/**
 * A strict parser: every flag is declared; an unknown one, a missing value or a stray argument is bad input (exit 2)
 * before anything happens. `--flag=value` and `--flag value` both work.
 */
export function parseArgs(given: readonly string[], spec: CommandSpec): Parsed {
	let argv = given;
	const flags: Parsed['flags'] = {};
	const positional: string[] = [];
	let rest: string[] | undefined;
	const byShort = new Map(Object.entries(spec.flags ?? {}).filter(([, f]) => f.short).map(([name, f]) => [f.short!, name]));
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i]!;
		if (token === '--') {
			if (!spec.rest) fail(`unexpected '--' (usage: ${spec.usage})`);
			rest = argv.slice(i + 1);
			break;
		}
		if (token.startsWith('-') && token !== '-') {
			if (spec.argparse && !token.startsWith('--') && token.length > 2) {
				// -nblue: a short flag with its value attached (a bool short flag takes none)
				const name = byShort.get(token.slice(1, 2));
				if (name && spec.flags?.[name]?.kind !== 'bool') {
					const attached = token.slice(2);
					argv = [...argv.slice(0, i), token.slice(0, 2), attached.startsWith('=') ? attached.slice(1) : attached, ...argv.slice(i + 1)];
				}
			}
			const current = argv[i]!;
			const eq = current.indexOf('=');
			const raw = eq > 0 ? current.slice(0, eq) : current;
			const name = raw.startsWith('--') ? longName(raw.slice(2), spec) : byShort.get(raw.slice(1));
			const flag = name === undefined ? undefined : spec.flags?.[name];
			if (!flag || name === undefined) fail(`unknown flag '${raw}' (usage: ${spec.usage})`);
			if (flag.kind === 'bool') {
				if (eq > 0) fail(`flag ${raw} takes no value`);
				flags[name] = true;
				continue;
			}
			const value = eq > 0 ? current.slice(eq + 1) : argv[++i];
			if (value === undefined || (eq < 0 && value.startsWith('--'))) fail(`flag ${raw} needs a value (usage: ${spec.usage})`);
			if (flag.kind === 'list') flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
			else if (flags[name] !== undefined) fail(`flag ${raw} given twice`);
			else flags[name] = value;
			continue;
		}
		positional.push(token);
	}
	const names = spec.positionals ?? [];
	const required = names.length - (spec.optional ?? 0);
	if (positional.length < required) fail(`missing ${names[positional.length]} (usage: ${spec.usage})`);
	if (positional.length > names.length) fail(`unexpected argument '${positional[names.length]}' (usage: ${spec.usage})`);
	const args = Object.fromEntries(names.map((n, i) => [n, positional[i]]));
	return {flags, args, ...(rest ? {rest} : {})};
}

/** A long flag's name: exact, or with `argparse` an unambiguous prefix of one. */
function longName(given: string, spec: CommandSpec): string {
	const names = Object.keys(spec.flags ?? {});
	if (names.includes(given) || !spec.argparse || given === '') return given;
	const matches = names.filter(n => n.startsWith(given));
	if (matches.length > 1) fail(`ambiguous option: --${given} could match ${matches.map(m => `--${m}`).join(', ')}`);
	return matches[0] ?? given;
}

export function exclusive(parsed: Parsed, a: string, b: string): void {
	if (parsed.flags[a] && parsed.flags[b]) fail(`--${a} and --${b} exclude each other`);
}
