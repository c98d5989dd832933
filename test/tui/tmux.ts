// A real terminal for end-to-end tests: a tmux server on a socket of its own, a session running a shell with the
// test's environment, and helpers that read the screen as the operator sees it. `close` kills the server and removes
// its socket file, also when a test failed.
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {rmSync} from 'node:fs';
import {join} from 'node:path';

export function tmuxTerminal(env: Record<string, string>, size = {columns: 150, rows: 40}) {
	const socket = `nsdeck-e2e-${randomBytes(3).toString('hex')}`;
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	tmux('new-session', '-d', '-s', 'e2e', '-x', String(size.columns), '-y', String(size.rows), ...Object.entries({PS1: 'e2e$ ', TERM: 'xterm-256color', ...env}).flatMap(([k, v]) => ['-e', `${k}=${v}`]), 'bash', '--norc', '--noprofile');
	const screen = () => tmux('capture-pane', '-p', '-t', 'e2e');

	async function waitScreen(what: string | RegExp | ((s: string) => boolean), timeout = 10_000): Promise<string> {
		const ok = typeof what === 'function' ? what : (s: string) => (typeof what === 'string' ? s.includes(what) : what.test(s));
		const end = Date.now() + timeout;
		for (;;) {
			const s = screen();
			if (ok(s)) return s;
			if (Date.now() > end) throw new Error(`timed out waiting for ${String(what)} on screen:\n${s}`);
			await new Promise(r => setTimeout(r, 25));
		}
	}

	return {
		tmux,
		screen,
		waitScreen,
		/** named keys (Enter, Escape, Tab...) or single characters, one send each (an Escape never merges with the next key) */
		async keys(...k: string[]) {
			for (const key of k) {
				tmux('send-keys', '-t', 'e2e', key);
				await new Promise(r => setTimeout(r, key === 'Escape' ? 120 : 30));
			}
		},
		text: (t: string) => tmux('send-keys', '-t', 'e2e', '-l', t),
		close() {
			spawnSync('tmux', ['-L', socket, 'kill-server']);
			rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), {force: true}); // the socket file outlives the server
		},
	};
}
