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
export function parseArgs(argv: readonly string[], spec: CommandSpec): Parsed {
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
			const eq = token.indexOf('=');
			const raw = eq > 0 ? token.slice(0, eq) : token;
			const name = raw.startsWith('--') ? raw.slice(2) : byShort.get(raw.slice(1));
			const flag = name === undefined ? undefined : spec.flags?.[name];
			if (!flag || name === undefined) fail(`unknown flag '${raw}' (usage: ${spec.usage})`);
			if (flag.kind === 'bool') {
				if (eq > 0) fail(`flag ${raw} takes no value`);
				flags[name] = true;
				continue;
			}
			const value = eq > 0 ? token.slice(eq + 1) : argv[++i];
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

export function exclusive(parsed: Parsed, a: string, b: string): void {
	if (parsed.flags[a] && parsed.flags[b]) fail(`--${a} and --${b} exclude each other`);
}
