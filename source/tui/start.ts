// The console before Ink: the controller reading the host, the demo session, and the first frame written as text as
// soon as the first read is in (screen/frame.ts), so the operator sees the host while Ink and React still load.
import type {Context} from '../provision/context.js';
import type {HostRef} from './backend.js';
import {ConsoleController} from './controller.js';
import type {Data, Loader} from './data.js';
import {DemoSession} from './demo-session.js';
import type {DemoStart} from './open.js';
import {firstFrame} from './screen/frame.js';
import type {Settings} from './settings-file.js';
import {mark} from './trace.js';
import type {ViewRef} from './views.js';

export type StartOptions = {
	ctx: Context;
	loader?: Loader;
	first?: Promise<Data>;
	settings: Settings;
	readonly: boolean;
	initial: ViewRef;
	notice?: string;
	host?: string;
	hosts?: readonly HostRef[];
	/** start the guided demo at once (`nsdeck demo`) */
	demo?: DemoStart;
};

export type Started = {controller: ConsoleController; session: DemoSession; started: Promise<void>; quit: {fn: () => void}};

/** How long the first frame waits for the host's first read before the console shows itself loading. */
const FIRST_FRAME_WAIT_MS = 300;

export async function startConsole(o: StartOptions): Promise<Started> {
	const quit = {fn: () => {}};
	const controller = new ConsoleController({
		ctx: o.ctx,
		...(o.loader ? {loader: o.loader} : {}),
		...(o.first ? {first: o.first} : {}),
		readonly: o.readonly,
		initial: o.initial,
		refreshMs: o.settings.refreshInterval * 1000,
		...(o.notice ? {notice: o.notice} : {}),
		...(o.host !== undefined ? {host: o.host} : {}),
		...(o.hosts ? {hosts: o.hosts} : {}),
		onQuit: () => quit.fn(),
	});
	// the guided demo: `:demo` anywhere on this host; `nsdeck demo` starts it at once
	const p = o.demo?.prepared;
	const session = new DemoSession(process.env, p ? {place: p.place, clean: p.clean, where: p.where, backend: undefined} : undefined);
	controller.demoHook = (c, arg) => session.command(c, arg);
	const started = controller.start();
	await Promise.race([started, new Promise(r => setTimeout(r, FIRST_FRAME_WAIT_MS))]);
	const text = firstFrame(controller, {columns: process.stdout.columns || 100, rows: process.stdout.rows || 30}, session.tag());
	if (text) {
		// raw mode now, so keys typed before Ink listens are not echoed over the frame (Ink reads them then)
		process.stdin.setRawMode?.(true);
		process.stdout.write(`\x1b[?25l${text}\x1b[H`);
		mark('first full frame written (text, before Ink)');
	}
	return {controller, session, started, quit};
}
