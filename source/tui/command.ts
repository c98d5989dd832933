// The `:` command line: every view by name (`:routes NET`, `:app NAME`), `:host NAME`, `:demo`, `:help`, `:q`; each
// with its argument's completion. Views come from the views registry; the rest are declared here, once.
import type {Ctl} from './ctl.js';
import {appHere, networkHere} from './here.js';
import {natural} from './views/table.js';
import {VIEWS, viewNamed, type ViewDef} from './views.js';

export type CommandDef = {
	readonly name: string;
	readonly aliases: readonly string[];
	readonly arg?: {readonly label: string; readonly pool: (c: Ctl) => readonly string[]};
	readonly summary: string;
	readonly run: (c: Ctl, arg: string) => void;
};

export const COMMANDS: readonly CommandDef[] = [
	{
		name: 'host', aliases: ['ctx', 'context'], arg: {label: 'NAME', pool: c => c.hosts.map(h => h.name).sort(natural)},
		summary: 'switch to another host (no name: the hosts view)',
		run: (c, arg) => (arg ? (c.mode({kind: 'normal'}), void c.switchHost(arg)) : c.open({id: 'hosts'})),
	},
	{name: 'demo', aliases: [], arg: {label: '[clean]', pool: () => ['clean']}, summary: 'the guided demo, in a sandbox of its own; `:demo clean` removes it', run: (c, arg) => c.demo(arg)},
	{name: 'help', aliases: ['h'], summary: 'every key', run: c => c.mode({kind: 'help'})},
	{name: 'quit', aliases: ['q', 'q!', 'exit'], summary: 'quit', run: c => c.quit()},
];

function openView(c: Ctl, v: ViewDef, arg: string): void {
	const fail = (text: string) => c.mode({kind: 'normal'}, {text, tone: 'bad'});
	if (v.id === 'routes') {
		if (arg && c.data && !c.data.snap.networks.some(n => n.name === arg)) return fail(`unknown network '${arg}'`);
		const net = arg || networkHere(c) || c.data?.snap.networks[0]?.name;
		return c.open({id: 'routes', ...(net ? {arg: net} : {})});
	}
	if (v.id === 'app') {
		const app = arg || appHere(c);
		if (!app || (c.data && !c.data.snap.apps.some(a => a.name === app))) return fail(app ? `unknown app '${app}'` : ':app needs an app name');
		return c.open({id: 'app', arg: app}, true);
	}
	c.open({id: v.id});
}

type Found = {kind: 'view'; view: ViewDef} | {kind: 'command'; command: CommandDef};

function find(word: string): Found | undefined {
	const w = word.toLowerCase();
	const view = viewNamed(w);
	if (view) return {kind: 'view', view};
	const command = COMMANDS.find(x => x.name === w || x.aliases.includes(w));
	return command ? {kind: 'command', command} : undefined;
}

/** What `:text` can become, for Tab and the greyed suggestion. */
export function commandCandidates(c: Ctl, text: string): string[] {
	const words = text.split(' ');
	if (words.length <= 1) {
		const names = [...VIEWS.map(v => v.name), ...COMMANDS.map(x => x.name)];
		return names.filter(n => n.startsWith(words[0] ?? ''));
	}
	const f = find(words[0]!);
	const arg = words.slice(1).join(' ');
	const pool = !f ? [] : f.kind === 'view' ? (f.view.arg && c.data ? f.view.arg.pool(c.data) : []) : (f.command.arg?.pool(c) ?? []);
	return pool.filter(n => n.startsWith(arg)).map(n => `${words[0]} ${n}`);
}

/** Runs `:text` (Enter). */
export function runCommand(c: Ctl, text: string): void {
	const [word = '', ...rest] = text.trim().split(/\s+/);
	const arg = rest.join(' ');
	const f = find(word);
	if (!f) return c.mode({kind: 'normal'}, {text: `unknown command ':${text.trim()}' (try ${VIEWS.filter(v => v.key).map(v => `:${v.name}`).join(' ')} :app NAME :host NAME :demo :help)`, tone: 'bad'});
	if (f.kind === 'view') return openView(c, f.view, arg);
	f.command.run(c, arg);
}
