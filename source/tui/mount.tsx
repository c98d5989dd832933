// Puts the console on the terminal and resolves when the operator quits. Everything that loads Ink starts here.
import {spawn} from 'node:child_process';
import {render} from 'ink';
import {Console} from './app.js';
import type {Started} from './start.js';
import {theme} from './theme.js';
import {mark} from './trace.js';

/** Ink draws the console over the first frame (the same lines) and runs it until the operator quits. */
export async function mount({controller, session, started, quit}: Started, o: {colors: boolean; demo: boolean}): Promise<void> {
	mark('first render starts');
	// the text frame's lines are the ones Ink draws: cleared in the same tick as Ink's first write, nothing flickers
	process.stdout.write('\x1b[H\x1b[J');
	const instance = render(<Console controller={controller} theme={theme(o.colors)} demoTag={() => session.tag()} />, {exitOnCtrlC: false});
	quit.fn = () => instance.unmount();
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
