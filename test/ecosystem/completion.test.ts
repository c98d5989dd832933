// `nsdeck completion bash|zsh|fish` as an operator uses it: the printed script loaded into the real shell, which
// then completes commands, flags and the names in a real store. bash: `complete -p`, its completion function called
// as bash calls it, and real readline in tmux for the words bash splits (route targets, --flag=value); zsh in tmux;
// fish through its own `complete -C`.
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {TOP_VIEWS} from '../../source/tui/views.js';
import {VIEWS} from '../../source/commands/complete.js';
import {CLI, ok, sandbox} from '../helpers.js';

const sb = sandbox();
const dir = mkdtempSync(join(tmpdir(), 'nsdeck-completion-'));
const socket = `nsdeck-compl-${randomBytes(3).toString('hex')}`;
const script = (shell: string) => {
	const file = join(dir, `nsdeck.${shell}`);
	writeFileSync(file, execFileSync(process.execPath, [CLI, 'completion', shell], {encoding: 'utf8'}));
	return file;
};
const env = {...sb.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir};

afterAll(() => {
	spawnSync('tmux', ['-L', socket, 'kill-server']);
	rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), {force: true});
	sb.cleanup();
	rmSync(dir, {recursive: true, force: true});
});

let blueAuto = '';
let greenAuto = '';
beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.93.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.94.0.0/24']));
	await ok(sb.nsdeck(['rt', 'add', 'green', '64512:777', '--import-only']));
	await ok(sb.nsdeck(['bind', 'web', '--network', 'blue']));
	const auto = async (net: string) => JSON.parse((await ok(sb.nsdeck(['net', 'show', net, '--json']))).stdout).targets.find((t: {auto: boolean}) => t.auto).rt as string;
	blueAuto = await auto('blue');
	greenAuto = await auto('green');
});

/** Calls bash's completion function as readline would for `line` (cursor at its end); COMP_WORDS split as bash splits them. */
function bashComplete(lines: readonly string[]): string[][] {
	const calls = lines.map(line => {
		// bash breaks words at blanks and at COMP_WORDBREAKS characters (':' and '=' here), which become words too
		const words = line.split(/\s+/).flatMap(w => w.split(/([:=])/)).filter(w => w !== '');
		if (/\s$/.test(line) || line === '') words.push('');
		const arr = words.map(w => `'${w}'`).join(' ');
		return `COMP_LINE='${line}'; COMP_POINT=${line.length}; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _nsdeck; printf '%s\\n' "\${COMPREPLY[*]}"`;
	});
	const r = spawnSync('bash', ['--norc', '-c', `source ${script('bash')}\nIFS=' '\n${calls.join('\n')}`], {encoding: 'utf8', env});
	expect(r.stderr).toBe('');
	return r.stdout.split('\n').slice(0, lines.length).map(l => (l === '' ? [] : l.split(' ')));
}

describe('bash', () => {
	it('the script registers a completion function for nsdeck (complete -p)', () => {
		const r = spawnSync('bash', ['--norc', '-c', `source <(${process.execPath} ${CLI} completion bash) && complete -p nsdeck`], {encoding: 'utf8', env});
		expect([r.status, r.stdout, r.stderr]).toEqual([0, 'complete -F _nsdeck nsdeck\n', '']);
	});

	it('completes commands, sub-commands, flags and the store\'s networks, apps and targets', () => {
		const [top, net, rt, show, unbind, bindFlags, network, short, outbound, rtDel, explain, explainFirst, explainPeer, help, view, level] = bashComplete([
			'nsdeck ', 'nsdeck net ', 'nsdeck r', 'nsdeck net show ', 'nsdeck unbind ', 'nsdeck bind web --', 'nsdeck bind api --network ',
			'nsdeck bind api -n g', 'nsdeck outbound web ', 'nsdeck rt del green ', 'nsdeck explain green 10.9', 'nsdeck explain ', 'nsdeck explain web ',
			'nsdeck help ro', 'nsdeck --view t', 'nsdeck agent --log-level ',
		]);
		expect(top).toEqual(expect.arrayContaining(['net', 'rt', 'route', 'bind', 'unbind', 'status', 'completion', 'unit', 'help']));
		expect(top).not.toContain('__complete');
		expect(net).toEqual(expect.arrayContaining(['create', 'delete', 'list', 'show']));
		expect(net!.every(w => top!.includes(w) === false)).toBe(true);
		expect(rt).toEqual(['rt', 'route', 'routes', 'reconcile']);
		expect(show).toEqual(['blue', 'green']);
		expect(unbind).toEqual(['web']);
		expect(bindFlags).toEqual(['--network', '--outbound', '--ip', '--json', '--help', '--']);
		expect(network).toEqual(['blue', 'green']);
		expect(short).toEqual(['green']);
		expect(outbound).toEqual(['blue', 'green']);
		expect(rtDel!.sort()).toEqual([greenAuto, 'target:64512:777'].sort());
		expect(explain).toEqual(['10.93.0.2']);
		expect(explainFirst).toEqual(['blue', 'green', 'web']);
		expect(explainPeer).toEqual(['10.93.0.2']);
		expect(help).toEqual(['route', 'routes']);
		expect(view).toEqual(['targets']);
		expect(level).toEqual(['error', 'warn', 'info', 'debug']);
	});

	it('hands back only what follows ":" and "=", which bash counts as words of their own', () => {
		const [rt, rtAfterColon, flagValue, flagEmpty] = bashComplete(['nsdeck rt add blue target:64512:7', 'nsdeck rt add blue target:', 'nsdeck bind api --network=gr', 'nsdeck bind api --network=']);
		// bash's current word is '7' (after the last ':'): readline puts '777' in its place
		expect(rt).toEqual(['777']);
		expect(rtAfterColon!.sort()).toEqual([blueAuto, greenAuto, 'target:64512:777'].map(t => t.slice('target:'.length)).sort());
		expect(flagValue).toEqual(['green']);
		expect(flagEmpty).toEqual(['blue', 'green']);
	});

	it('offers nothing for a new name, and nothing at all where the store cannot be read', () => {
		const [newNet, newApp] = bashComplete(['nsdeck net create ', 'nsdeck bind ']);
		expect(newNet).toEqual([]);
		expect(newApp).toEqual([]);
		const r = spawnSync('bash', ['--norc', '-c', `source ${script('bash')}; COMP_LINE='nsdeck unbind '; COMP_POINT=14; COMP_WORDS=(nsdeck unbind ''); COMP_CWORD=2; _nsdeck; echo "[\${COMPREPLY[*]}]"`], {encoding: 'utf8', env: {...env, NSDECK_STATE_DIR: join(dir, 'nothing-here')}});
		expect([r.stdout, r.stderr]).toEqual(['[]\n', '']);
	});
});

describe('in a terminal (tmux): bash with readline, and zsh', () => {
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	async function typed(session: string, text: string, until: RegExp): Promise<string> {
		tmux('send-keys', '-t', session, '-l', text);
		tmux('send-keys', '-t', session, 'Tab');
		const end = Date.now() + 10_000;
		for (;;) {
			const s = tmux('capture-pane', '-p', '-t', session);
			if (until.test(s)) return s;
			if (Date.now() > end) throw new Error(`timed out waiting for ${String(until)}:\n${s}`);
			await new Promise(r => setTimeout(r, 25));
		}
	}
	/** A shell in tmux with the script loaded, the screen cleared and the prompt alone on it before anything is typed. */
	async function open(session: string, shell: string[], setup: string) {
		tmux('new-session', '-d', '-s', session, '-x', '150', '-y', '20', ...Object.entries({...env, PS1: `${session}$ `, PROMPT: `${session}$ `}).flatMap(([k, v]) => ['-e', `${k}=${v}`]), ...shell);
		tmux('send-keys', '-t', session, '-l', setup);
		tmux('send-keys', '-t', session, 'Enter');
		const end = Date.now() + 10_000;
		while (tmux('capture-pane', '-p', '-t', session).trim() !== `${session}$`) {
			if (Date.now() > end) throw new Error(`no prompt in ${shell[0]}:\n${tmux('capture-pane', '-p', '-t', session)}`);
			await new Promise(r => setTimeout(r, 25));
		}
	}

	it('bash completes a route target and a --flag=value in place', async () => {
		await open('b', ['bash', '--norc', '--noprofile'], `source ${script('bash')}; clear`);
		let s = await typed('b', 'nsdeck rt del green target:64512:7', /target:64512:777 *$/m);
		expect(s).toMatch(/^b\$ nsdeck rt del green target:64512:777 *$/m);
		tmux('send-keys', '-t', 'b', 'C-u');
		s = await typed('b', 'nsdeck bind api --network=gr', /--network=green *$/m);
		expect(s).toMatch(/^b\$ nsdeck bind api --network=green *$/m);
	});

	it('zsh completes networks and apps from the store', async () => {
		await open('z', ['zsh', '-f'], `autoload -U compinit && compinit -u && source ${script('zsh')}; clear`);
		let s = await typed('z', 'nsdeck unbind w', /unbind web *$/m);
		expect(s).toMatch(/^z\$ nsdeck unbind web *$/m);
		tmux('send-keys', '-t', 'z', 'C-u');
		s = await typed('z', 'nsdeck net show ', /blue.*\n.*green|blue\s+.*green/);
		expect(s).toMatch(/blue\s+-- 10\.93\.0\.0\/24/);
		expect(s).toMatch(/green\s+-- 10\.94\.0\.0\/24/);
	});
});

describe('fish', () => {
	it('completes with descriptions (fish\'s own complete -C)', () => {
		const fish = (line: string) => {
			const r = spawnSync('fish', ['--no-config', '-c', `source ${script('fish')}; complete -C '${line}'`], {encoding: 'utf8', env});
			expect(r.stderr).toBe('');
			return r.stdout.trim().split('\n');
		};
		expect(fish('nsdeck net show ')).toEqual(['blue\t10.93.0.0/24', 'green\t10.94.0.0/24']);
		expect(fish('nsdeck unbind ')).toEqual(['web\tblue 10.93.0.2']);
		expect(fish('nsdeck rt add blue 64512:7')).toEqual(['64512:777\tgreen I']);
	});
});

it('the completion offers the console\'s views as the console names them', () => {
	expect(VIEWS).toEqual(TOP_VIEWS.map(v => v.name));
});

it('an unknown shell is refused on one line, exit 2', async () => {
	const r = await sb.nsdeck(['completion', 'tcsh']);
	expect([r.code, r.stdout, r.stderr]).toEqual([2, '', "nsdeck: unknown shell 'tcsh': bash, zsh or fish\n"]);
});
