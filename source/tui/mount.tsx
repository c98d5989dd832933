// Puts the console on the terminal and resolves when the operator quits. Everything that loads Ink starts here.
import {render} from 'ink';
import type {Context} from '../provision/context.js';
import {Console} from './app.js';
import type {HostRef} from './backend.js';
import {ConsoleController} from './controller.js';
import type {Data, Loader} from './data.js';
import type {Settings} from './settings.js';
import {theme} from './theme.js';
import type {ViewRef} from './views.js';

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
};

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
	const instance = render(<Console controller={controller} theme={theme(o.settings.colors)} />, {exitOnCtrlC: false});
	quit = () => instance.unmount();
	void controller.start();
	try {
		await instance.waitUntilExit();
	} finally {
		controller.stop();
	}
}
