// Drives the real console in-process, rendered with ink-testing-library: on a real store and real namespaces (the
// sandbox's), or on hosts in memory (no root). Keys go in as a terminal sends them (chunks included); frames are
// polled with a deadline.
import {render} from 'ink-testing-library';
import {Console, type Size} from '../../source/tui/app.js';
import {ConsoleController, type ControllerOptions} from '../../source/tui/controller.js';
import {openContext} from '../../source/provision/context.js';
import {theme} from '../../source/tui/theme.js';
import type {HostRef} from '../../source/tui/backend.js';
import {MemoryBackend, type World} from './memory.js';

export const KEY = {enter: '\r', esc: '\x1b', tab: '\t', backspace: '\x7f', up: '\x1b[A', down: '\x1b[B', left: '\x1b[D', right: '\x1b[C', pgdn: '\x1b[6~', pgup: '\x1b[5~', ctrlC: '\x03'} as const;

export type Harness = Awaited<ReturnType<typeof openConsole>>;

export async function openConsole(opts: ControllerOptions & {size?: Size}, onClose: () => void = () => {}) {
	let quitCalled = 0;
	const controller = new ConsoleController({refreshMs: 0, ...opts, onQuit: () => quitCalled++});
	const r = render(<Console controller={controller} theme={theme(false)} size={opts.size ?? {columns: 150, rows: 30}} />);
	await controller.start();
	const frame = () => r.lastFrame() ?? '';

	/** Waits until the frame matches; fails with the last frame shown. */
	async function waitFor(what: string | RegExp | ((f: string) => boolean), timeout = 8000): Promise<string> {
		const ok = typeof what === 'function' ? what : (f: string) => (typeof what === 'string' ? f.includes(what) : what.test(f));
		const end = Date.now() + timeout;
		for (;;) {
			const f = frame();
			if (ok(f)) return f;
			if (Date.now() > end) throw new Error(`timed out waiting for ${String(what)}; last frame:\n${f}`);
			await new Promise(res => setTimeout(res, 10));
		}
	}

	/** The row marked selected (▸), trimmed. */
	const selected = () => frame().split('\n').find(l => l.startsWith('▸'))?.slice(1).trim() ?? '';

	return {
		controller,
		frame,
		waitFor,
		selected,
		quitCalls: () => quitCalled,
		/** writes raw input as one chunk, like a fast typist or a paste */
		type: (text: string) => r.stdin.write(text),
		/** writes keys one chunk each, letting Ink handle each before the next */
		async press(...keys: string[]) {
			for (const k of keys) {
				const before = controller.keysHandled;
				r.stdin.write(k);
				const end = Date.now() + 2000;
				while (controller.keysHandled === before && Date.now() < end) await new Promise(res => setTimeout(res, 1));
				await new Promise(res => setTimeout(res, 5));
			}
		},
		close() {
			r.unmount();
			controller.stop();
			onClose();
		},
	};
}

/** The console on a sandbox's real store and kernel. */
export async function openTestConsole(sb: {env: NodeJS.ProcessEnv}, opts: Partial<Omit<ControllerOptions, 'ctx'>> & {size?: Size} = {}) {
	const ctx = openContext(sb.env);
	const h = await openConsole({...opts, ctx}, () => ctx.close());
	return {...h, ctx};
}

/** The console on hosts in memory: `worlds` by host name, the first one this host. */
export async function openMemoryConsole(worlds: Record<string, World>, opts: Partial<Omit<ControllerOptions, 'ctx' | 'hosts' | 'makeBackend'>> & {size?: Size} = {}) {
	const names = Object.keys(worlds);
	const hosts: HostRef[] = names.map((name, i) => (i === 0 ? {name, local: true} : {name, local: false, url: `http://${name}.test:1`, tokenFile: '/dev/null'}));
	const backends = new Map(hosts.map(ref => [ref.name, new MemoryBackend(ref, worlds[ref.name]!)]));
	const h = await openConsole({...opts, hosts, makeBackend: ref => backends.get(ref.name)!});
	return {...h, backends, backend: (name = names[0]!) => backends.get(name)!};
}

export type MemoryHarness = Awaited<ReturnType<typeof openMemoryConsole>>;

/** Lines of the frame between the column header and the flash: the visible rows. */
export function rowsOf(frame: string): string[] {
	const lines = frame.split('\n');
	return lines.slice(3, -2).filter(l => l.trim() !== '');
}
