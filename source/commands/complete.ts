// What Tab offers: `nsdeck __complete SHELL WORD... CURRENT` prints the candidates for CURRENT after the words
// before it, one a line, in the shell's format; the scripts of completion.ts only pass the line and show the answer.
// Commands and flags come from COMMANDS (declared once); names (networks, apps, targets, prefixes, hosts) from the
// store, read only when a name is wanted and never written. Whatever cannot be read offers nothing.
import {openContext} from '../provision/context.js';
import {intentOf, knownHosts} from '../provision/reads.js';
import type {CommandSpec} from './args.js';
import {SHELLS, type Shell} from './completion.js';
import {COMMANDS} from './nsdeck.js';

export type Candidate = {readonly value: string; readonly description?: string};
/** files: let the shell complete paths (the words after `--`, a command and its arguments) */
export type Completion = {readonly files: boolean; readonly candidates: readonly Candidate[]};

/** The store's names, as far as they matter to completion. */
export type Names = {
	readonly networks: ReadonlyArray<{readonly name: string; readonly subnet: string | null; readonly targets: ReadonlyArray<{readonly rt: string; readonly import: boolean; readonly export: boolean}>}>;
	readonly apps: ReadonlyArray<{readonly name: string; readonly ifaces: ReadonlyArray<{readonly network: string; readonly address: string}>}>;
	readonly externals: ReadonlyArray<{readonly prefix: string; readonly via: string}>;
	readonly hosts: ReadonlyArray<{readonly name: string; readonly url?: string}>;
};

/** The console's views (tui/views.ts TOP_VIEWS, a test keeps the two equal): faces do not import each other. */
export const VIEWS = ['apps', 'nets', 'routes', 'targets', 'ifaces', 'log', 'hosts'];
const CONSOLE_FLAGS: Record<string, {value?: (n: () => Names) => Candidate[]; description: string}> = {
	'--readonly': {description: 'open the console without actions'},
	'--view': {value: () => VIEWS.map(value => ({value})), description: 'open the console in a view'},
	'--host': {value: n => n().hosts.map(h => ({value: h.name, description: h.url ?? 'this host'})), description: 'open the console on another host'},
	'--version': {description: 'print the version'},
	'--help': {description: 'list the commands'},
};

const networks = (n: Names): Candidate[] => n.networks.map(x => ({value: x.name, description: x.subnet ?? 'no subnet yet'}));
const apps = (n: Names): Candidate[] => n.apps.map(a => ({value: a.name, description: a.ifaces.map(i => `${i.network} ${i.address}`).join(', ')}));
const mark = (t: {import: boolean; export: boolean}) => (t.import && t.export ? 'IE' : t.import ? 'I' : 'E');
function targets(n: Names, only?: string): Candidate[] {
	const by = new Map<string, string[]>();
	for (const net of n.networks) {
		if (only !== undefined && net.name !== only) continue;
		for (const t of net.targets) by.set(t.rt, [...(by.get(t.rt) ?? []), `${net.name} ${mark(t)}`]);
	}
	return [...by].map(([value, on]) => ({value, description: on.join(', ')}));
}

/** Values of a flag that names something. */
const FLAG_VALUES: Record<string, (n: Names) => Candidate[]> = {
	network: networks,
	outbound: networks,
	rt: n => targets(n),
	control: () => [{value: 'local', description: 'routes from this host alone'}, {value: 'gobgp', description: 'routes over BGP through gobgpd'}],
	'log-level': () => ['error', 'warn', 'info', 'debug'].map(value => ({value})),
};

const addresses = (n: Names): Candidate[] => n.apps.flatMap(a => a.ifaces.map(i => ({value: i.address, description: `${a.name} on ${i.network}`})));
const externals = (n: Names, what: string): Candidate[] => n.externals.map(e => ({value: e.prefix, description: `${what}via ${e.via}`}));

/** One kind of placeholder (usage's words; `NET_OR_APP` is two kinds) in a command, given the positionals before it. */
function kind(command: string, placeholder: string, given: readonly string[], n: Names): Candidate[] {
	switch (placeholder) {
		case 'NET':
			return networks(n);
		case 'NAME':
			if (command === 'host check') return n.hosts.filter(h => h.url).map(h => ({value: h.name, description: h.url!}));
			return command.startsWith('net ') ? networks(n) : [];
		case 'APP':
			return apps(n);
		case 'RT':
			return command === 'rt del' ? targets(n, given[0]) : targets(n);
		case 'PREFIX':
			return command === 'route del' ? externals(n, '') : [...addresses(n), ...externals(n, 'external ')];
		case 'PEER':
			return [...apps(n).filter(a => a.value !== given[0]), ...addresses(n)];
		default:
			return [];
	}
}

/** Positionals that name something that exists; a new name (net create NAME, bind APP) offers nothing. */
function positionalValues(command: string, placeholder: string, given: readonly string[], n: () => Names): Candidate[] {
	if (command === 'completion') return SHELLS.map(value => ({value}));
	if (['net create', 'bind', 'attach', 'unit'].includes(command)) return [];
	// `explain NET PREFIX | APP PEER`: the first word decides which of the two the second is
	if (placeholder === 'PREFIX_OR_PEER' && given.length > 0) return kind(command, n().apps.some(a => a.name === given[0]) ? 'PEER' : 'PREFIX', given, n());
	return placeholder.split('_OR_').flatMap(k => kind(command, k, given, n()));
}

/** Keeps the candidates that extend what is typed; a route target also matches without its `target:`. */
function matching(cur: string, candidates: readonly Candidate[]): Candidate[] {
	const seen = new Set<string>();
	const out: Candidate[] = [];
	for (const c of candidates) {
		const short = c.value.startsWith('target:') && !'target:'.startsWith(cur.slice(0, 7)) ? {...c, value: c.value.slice(7)} : c;
		if (short.value.startsWith(cur) && !seen.has(short.value)) {
			seen.add(short.value);
			out.push(short);
		}
	}
	return out;
}

const words = (list: readonly Candidate[]): Completion => ({files: false, candidates: list});

/** Completion inside one command, from its spec: the flag waiting for a value, then flags, then positionals. */
function completeIn(name: string, spec: CommandSpec, args: readonly string[], cur: string, n: () => Names): Completion {
	const flags = spec.flags ?? {};
	const byShort = new Map(Object.entries(flags).filter(([, f]) => f.short).map(([k, f]) => [f.short!, k]));
	const used = new Set<string>();
	const given: string[] = [];
	let pending: string | undefined;
	for (const token of args) {
		if (pending !== undefined) {
			pending = undefined;
			continue;
		}
		if (token === '--' && spec.rest) return {files: true, candidates: []};
		if (token.startsWith('-') && token !== '-') {
			const eq = token.indexOf('=');
			const raw = eq > 0 ? token.slice(0, eq) : token;
			const flag = raw.startsWith('--') ? raw.slice(2) : byShort.get(raw.slice(1));
			if (flag === undefined || !flags[flag]) continue;
			used.add(flag);
			if (flags[flag].kind !== 'bool' && eq < 0) pending = flag;
			continue;
		}
		given.push(token);
	}
	const valuesOf = (flag: string) => FLAG_VALUES[flag]?.(n()) ?? [];
	if (pending !== undefined) return words(matching(cur, valuesOf(pending)));
	if (cur.startsWith('--') && cur.includes('=')) {
		const flag = cur.slice(2, cur.indexOf('='));
		return words(matching(cur.slice(flag.length + 3), valuesOf(flag)).map(c => ({...c, value: `--${flag}=${c.value}`})));
	}
	const unused = [...Object.entries(flags).filter(([k, f]) => f.kind === 'list' || !used.has(k)).map(([k]) => ({value: `--${k}`})), {value: '--help'}, ...(spec.rest ? [{value: '--', description: 'then the command to run'}] : [])];
	if (cur.startsWith('-')) return words(matching(cur, unused));
	const placeholders = spec.positionals ?? [];
	if (given.length < placeholders.length) return words(matching(cur, positionalValues(name, placeholders[given.length]!, given, n)));
	return words(cur === '' ? unused : []);
}

/** The candidates for the last word (what is being typed, maybe empty) after the ones before it. */
export function complete(line: readonly string[], n: () => Names): Completion {
	const cur = line.at(-1) ?? '';
	const before = line.slice(0, -1);
	const names = Object.keys(COMMANDS);
	const summary = (first: string) => {
		const group = names.filter(k => k.startsWith(`${first} `));
		return group.length > 0 ? group.map(k => k.split(' ')[1]).join(', ') : COMMANDS[first]!.summary;
	};
	const firstWords = () => [...new Set(names.map(k => k.split(' ')[0]!))].map(value => ({value, description: summary(value)}));
	const second = (first: string) => names.filter(k => k.startsWith(`${first} `)).map(k => ({value: k.split(' ')[1]!, description: COMMANDS[k]!.summary}));

	const first = before[0];
	if (first === undefined) {
		if (cur.startsWith('-')) return words(matching(cur, Object.entries(CONSOLE_FLAGS).map(([value, f]) => ({value, description: f.description}))));
		return words(matching(cur, [...firstWords(), {value: 'help', description: 'list the commands, or tell one'}]));
	}
	if (first.startsWith('-')) {
		// the console's flags: a value after --view and --host, else the flags not given yet
		const last = before.at(-1)!;
		const wants = CONSOLE_FLAGS[last]?.value;
		if (wants) return words(matching(cur, wants(n)));
		return words(matching(cur, ['--readonly', '--view', '--host'].filter(f => !before.includes(f)).map(value => ({value, description: CONSOLE_FLAGS[value]!.description}))));
	}
	if (first === 'help') {
		if (before.length === 1) return words(matching(cur, firstWords()));
		return words(before.length === 2 ? matching(cur, second(before[1]!)) : []);
	}
	const group = second(first);
	if (group.length > 0) {
		if (before.length === 1) return words(matching(cur, group));
		const name = `${first} ${before[1]}`;
		return COMMANDS[name] ? completeIn(name, COMMANDS[name], before.slice(2), cur, n) : words([]);
	}
	return COMMANDS[first] ? completeIn(first, COMMANDS[first], before.slice(1), cur, n) : words([]);
}

/** The store's names, read once and only if asked; a store that cannot be read (not root, none yet) names nothing. */
export function storeNames(): () => Names {
	let names: Names | undefined;
	const read = (): Names => {
		try {
			const ctx = openContext();
			try {
				const intent = intentOf(ctx);
				return {networks: intent.networks, apps: intent.apps, externals: intent.externals, hosts: knownHosts(ctx)};
			} finally {
				ctx.close();
			}
		} catch {
			return {networks: [], apps: [], externals: [], hosts: []};
		}
	};
	return () => (names ??= read());
}

/** One candidate a line, as each shell's script reads it; `:files` alone hands completion back to the shell's paths. */
export function format(shell: Shell, c: Completion): string {
	if (c.files) return ':files';
	return c.candidates.map(x => {
		if (shell === 'bash' || !x.description) return shell === 'zsh' ? x.value.replace(/:/g, '\\:') : x.value;
		return shell === 'zsh' ? `${x.value.replace(/:/g, '\\:')}:${x.description}` : `${x.value}\t${x.description}`;
	}).join('\n');
}

/** `nsdeck __complete SHELL WORD...`: never fails loudly (a broken Tab must not print into the operator's line). */
export function completeCommand(argv: readonly string[]): number {
	const shell = argv[0] as Shell;
	if (!SHELLS.includes(shell)) return 2;
	const out = format(shell, complete(argv.length > 1 ? argv.slice(1) : [''], storeNames()));
	if (out) process.stdout.write(`${out}\n`);
	return 0;
}
