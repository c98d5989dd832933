// Puts the console on the terminal and resolves when the operator quits. Everything that loads Ink starts here.
import {spawn} from 'node:child_process';
import {render} from 'ink';
import type {Context} from '../provision/context.js';
import {Console} from './app.js';
import type {HostRef} from './backend.js';
import {ConsoleController} from './controller.js';
import type {Data, Loader} from './data.js';
import type {Settings} from './settings-file.js';
import {theme} from './theme.js';
import type {ViewRef} from './views.js';
import {DemoSession} from './demo-session.js';
import {mark} from './trace.js';
import type {DemoStart} from './open.js';

export type MountOptions = {
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

const FIRST_FRAME_WAIT_MS = 300;

export async function mount(o: MountOptions): Promise<void> {
	let quit: () => void = () => {};
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
		onQuit: () => quit(),
	});
	// the guided demo: `:demo` anywhere on this host; `nsdeck demo` starts it at once
	const p = o.demo?.prepared;
	const session = new DemoSession(process.env, p ? {place: p.place, clean: p.clean, where: p.where, backend: undefined} : undefined);
	controller.demoHook = (c, arg) => session.command(c, arg);
	// The first frame is the full one: the host's first read (started before Ink loaded) lands before the first
	// render, unless it takes long (another host), when the console shows itself loading rather than nothing.
	const started = controller.start();
	await Promise.race([started, new Promise(r => setTimeout(r, FIRST_FRAME_WAIT_MS))]);
	mark('first render starts');
	const instance = render(<Console controller={controller} theme={theme(o.settings.colors)} demoTag={() => session.tag()} />, {exitOnCtrlC: false});
	quit = () => instance.unmount();
	if (o.demo) void started.then(() => controller.demo(''));
	// The terminal closed or the console was told to stop: a demo is removed all the same, by a `demo clean` of its
	// own, since this process may not outlive the signal (conf's when-exit re-raises it at once).
	const onSignal = () => {
		if (!controller.beforeQuit || !process.argv[1]) return;
		controller.beforeQuit = undefined;
		spawn(process.execPath, [process.argv[1], 'demo', 'clean'], {detached: true, stdio: 'ignore', env: process.env}).unref();
	};
	process.once('SIGHUP', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		await instance.waitUntilExit();
	} finally {
		controller.stop();
		process.removeListener('SIGHUP', onSignal);
		process.removeListener('SIGTERM', onSignal);
	}
}
