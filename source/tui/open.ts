// `nsdeck` with no command (or with --readonly / --view / --host): the interactive console. Loaded only then, so
// scripted commands never load Ink or React.
import {openContext} from '../provision/context.js';
import type {DemoPlace} from '../provision/demo.js';
import {mark} from './trace.js';
import {startConsole} from './start.js';
import {withoutFile} from './settings-file.js';
import {findHost, knownHosts, RemoteBackend} from './backend.js';
import {contextLoader} from './data.js';
import {TOP_VIEWS as TOP, type ViewRef} from './views.js';

export type ConsoleArgs = {readonly: boolean; view?: ViewRef; host?: string};

export class ArgError extends Error {}

/** --readonly, --view NAME (apps, nets, routes[:NET], targets, ifaces, log), --host NAME; `=` forms too. */
export function parseConsoleArgs(argv: readonly string[]): ConsoleArgs {
	const out: ConsoleArgs = {readonly: false};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i]!.split(/=(.*)/s) as [string, string | undefined];
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined || v === '') throw new ArgError(`${flag} needs a value`);
			return v;
		};
		if (flag === '--readonly' && inline === undefined) out.readonly = true;
		else if (flag === '--view') {
			const raw = value();
			const [name, arg] = raw.split(/[:/ ](.*)/s) as [string, string | undefined];
			const v = TOP.find(t => t.name === name.toLowerCase() || t.aliases.includes(name.toLowerCase()));
			if (!v) throw new ArgError(`unknown view '${raw}' (one of: ${TOP.map(t => t.name).join(', ')}; routes:NET for one VRF)`);
			out.view = {id: v.id, ...(arg && v.id === 'routes' ? {arg} : {})};
		} else if (flag === '--host') out.host = value();
		else throw new ArgError(`unknown console option '${argv[i]}' (the console takes --readonly, --view NAME, --host NAME; see 'nsdeck help')`);
	}
	return out;
}

const ENTER_ALT = '\x1b[?1049h\x1b[H';
const LEAVE_ALT = '\x1b[?1049l';

/** What `nsdeck demo` hands the console: start the demo at once; with --hosts, the lab's demo already built. */
export type DemoStart = {prepared?: {place: DemoPlace; clean: () => Promise<void>; where: string}};

export async function openConsole(argv: readonly string[], opts: {demo?: DemoStart} = {}): Promise<number> {
	mark('console code loaded');
	let args: ConsoleArgs;
	try {
		args = parseConsoleArgs(argv);
	} catch (e) {
		process.stderr.write(`nsdeck: ${(e as Error).message}\n`);
		return 2;
	}
	const prepared = opts.demo?.prepared;
	let ctx;
	try {
		// the demo across hosts opens on h1, whose store the demo owns (its clean closes it)
		ctx = prepared ? prepared.place.web : openContext();
	} catch (e) {
		process.stderr.write(`nsdeck: ${(e as Error).message.split('\n')[0]}\n`);
		return (e as Error).name === 'UsageError' ? 2 : 1;
	}
	mark('store opened');
	const hosts = knownHosts(ctx);
	const start = args.host === undefined ? hosts[0]! : findHost(hosts, args.host);
	if (!start) {
		process.stderr.write(`nsdeck: unknown host '${args.host}' (known: ${hosts.map(h => h.name).join(', ')}; add one with 'nsdeck host set --agent NAME=URL --agent-token NAME=FILE')\n`);
		ctx.close();
		return 2;
	}
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		process.stderr.write("nsdeck: the console needs a terminal (stdin and stdout a TTY); for a non-interactive summary run 'nsdeck status' (or 'nsdeck status --json')\n");
		ctx.close();
		return 2;
	}
	// the first read of the host (an `ip` process, or the other host's agent) runs while the settings are read
	const loader = start.local ? contextLoader(ctx) : undefined;
	const need = {ifaces: args.view?.id === 'ifaces'};
	const early = loader ? loader(need) : new RemoteBackend(start).load(need);
	early.then(() => mark('host read'), () => {});
	// no settings file (the usual case): the defaults, without loading conf
	const loaded = withoutFile() ?? (await import('./settings.js')).loadSettings();
	mark('settings read');
	const initial = args.view ?? {id: loaded.settings.defaultView};
	// a settings file opening on the interfaces needs them read: the early read did not
	const first = initial.id === 'ifaces' && !need.ifaces ? undefined : early;

	let left = false;
	const leave = () => {
		if (left) return;
		left = true;
		process.stdout.write(LEAVE_ALT);
	};
	process.stdout.write(ENTER_ALT);
	process.once('exit', leave);
	try {
		// the first frame as text as soon as the read is in, then Ink and React load and take over
		const started = await startConsole({ctx, ...(loader ? {loader} : {}), ...(first ? {first} : {}), host: start.name, hosts, settings: loaded.settings, readonly: args.readonly, initial, ...(loaded.problem ? {notice: loaded.problem} : {}), ...(opts.demo ? {demo: opts.demo} : {})});
		const {mount} = await import('./mount.js');
		mark('Ink and React loaded');
		await mount(started, {colors: loaded.settings.colors, demo: Boolean(opts.demo)});
	} finally {
		leave();
		process.removeListener('exit', leave);
		if (!prepared) ctx.close();
	}
	return 0;
}
