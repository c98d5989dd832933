// --readonly, settings (conf), the console's flags, the non-TTY message, and what scripted commands load.
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {render} from 'ink-testing-library';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {Table} from '../../source/tui/table.js';
import {theme} from '../../source/tui/theme.js';
import {loadSettings} from '../../source/tui/settings.js';
import {parseConsoleArgs} from '../../source/tui/open.js';
import {widthsOf, type Row} from '../../source/tui/views.js';
import {ok, sandbox} from '../helpers.js';
import {type Harness, KEY, openTestConsole} from './harness.js';

const sb = sandbox();
const xdg = mkdtempSync(join(tmpdir(), 'nsdeck-xdg-'));
afterAll(() => {
	sb.cleanup();
	rmSync(xdg, {recursive: true, force: true});
});

let h: Harness | undefined;
afterEach(() => {
	h?.close();
	h = undefined;
});

beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.97.0.0/24']));
	await ok(sb.nsdeck(['bind', 'web', '--network', 'blue']));
});

describe('a read-only console', () => {
	it('shows READONLY, hides the actions from the footer and the help, and refuses them with a flash', async () => {
		h = await openTestConsole(sb, {readonly: true});
		let f = await h.waitFor('apps [1]');
		expect(f.split('\n')[0]).toContain('READONLY');
		const footer = f.split('\n').at(-1)!;
		expect(footer).not.toMatch(/b bind|u unbind|o outbound|p ping/);
		expect(footer).toContain('q quit');
		for (const key of ['b', 'u', 'o', 'p']) {
			await h.press(key);
			f = await h.waitFor(`read-only console: '${key}' is disabled`);
			expect(h.controller.state.mode.kind).toBe('normal');
		}
		await h.press('2', 'i');
		await h.waitFor("read-only console: 'i' is disabled");
		await h.press('e');
		await h.waitFor("read-only console: 'e' is disabled");
		await h.press('?');
		f = await h.waitFor('actions: disabled (read-only console)');
		expect(f).not.toMatch(/ b\s+bind an app/);
		await h.press(KEY.esc);
		// reading still works: explain a route
		await h.press(KEY.enter);
		await h.waitFor('routes(blue)');
		await h.press('x');
		await h.waitFor('why 10.97.0.2/32 is in blue');
		expect(sb.namespaces()).toContain(sb.ns('web'));
	});
});

describe('settings (conf) and flags', () => {
	const file = join(xdg, 'nsdeck-nodejs', 'config.json');
	const env = {XDG_CONFIG_HOME: xdg};

	it('defaults when there is no file: refresh every 2 s, the apps view, colours on; the file lives under XDG_CONFIG_HOME', () => {
		rmSync(dirname(file), {recursive: true, force: true});
		const s = loadSettings(env);
		expect(s.problem).toBeUndefined();
		expect(s.path).toBe(file);
		expect(s.settings).toEqual({refreshInterval: 2, defaultView: 'apps', colors: true});
	});

	it('reads refreshInterval, defaultView and colors from the file', () => {
		mkdirSync(dirname(file), {recursive: true});
		writeFileSync(file, JSON.stringify({refreshInterval: 5, defaultView: 'targets', colors: false}));
		expect(loadSettings(env)).toEqual({settings: {refreshInterval: 5, defaultView: 'targets', colors: false}, path: file});
	});

	it('NO_COLOR turns colours off whatever the file says', () => {
		writeFileSync(file, JSON.stringify({colors: true}));
		expect(loadSettings({...env, NO_COLOR: '1'}).settings.colors).toBe(false);
		expect(theme(false).color('bad')).toBeUndefined();
		expect(theme(true).color('bad')).toBe('red');
	});

	it('a bad file gives one clear line and the defaults, not a crash (and is left as it was)', () => {
		writeFileSync(file, '{"refreshInterval": 5,');
		let s = loadSettings(env);
		expect(s.settings).toEqual({refreshInterval: 2, defaultView: 'apps', colors: true});
		expect(s.problem).toMatch(new RegExp(`^settings ${file}: not valid JSON .*; using defaults$`));
		expect(readFileSync(file, 'utf8')).toBe('{"refreshInterval": 5,');
		writeFileSync(file, JSON.stringify({refreshInterval: 'fast', defaultView: 'pods'}));
		s = loadSettings(env);
		expect(s.problem).toContain('`refreshInterval` must be number');
		expect(s.problem).toContain('`defaultView` must be equal to one of the allowed values');
		expect(s.problem!.split('\n')).toHaveLength(1);
	});

	it('the bad-settings message is flashed in the console, which opens anyway', async () => {
		h = await openTestConsole(sb, {notice: `settings ${file}: not valid JSON; using defaults`});
		const f = await h.waitFor('apps [1]');
		expect(f).toContain(`✗ settings ${file}: not valid JSON; using defaults`);
	});

	it('--readonly, --view NAME (and routes:NET), --host take their values; anything else is refused', () => {
		expect(parseConsoleArgs([])).toEqual({readonly: false});
		expect(parseConsoleArgs(['--readonly', '--view', 'nets'])).toEqual({readonly: true, view: {id: 'nets'}});
		expect(parseConsoleArgs(['--view=routes:blue'])).toEqual({readonly: false, view: {id: 'routes', arg: 'blue'}});
		expect(parseConsoleArgs(['--host', 'h1'])).toEqual({readonly: false, host: 'h1'});
		expect(() => parseConsoleArgs(['--view', 'pods'])).toThrow("unknown view 'pods'");
		expect(() => parseConsoleArgs(['--view'])).toThrow('--view needs a value');
		expect(() => parseConsoleArgs(['--readonly', '--bogus'])).toThrow("unknown console option '--bogus'");
	});
});

describe('nsdeck without a terminal', () => {
	it('prints one line pointing to `nsdeck status` and exits 2', async () => {
		const r = await sb.nsdeck([]);
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).toContain("nsdeck status");
	});

	it('refuses an unknown host and a bad view on one line with exit 2', async () => {
		let r = await sb.nsdeck(['--host', 'elsewhere']);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/^nsdeck: unknown host 'elsewhere' \(known: [^,)]+; add one with 'nsdeck host set --agent NAME=URL --agent-token NAME=FILE'\)\n$/);
		r = await sb.nsdeck(['--view', 'pods']);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/^nsdeck: unknown view 'pods'/);
	});
});

describe('the windowed table', () => {
	it('renders only the rows that fit, with columns sized over every row, for 5000 rows', () => {
		const rows: Row[] = Array.from({length: 5000}, (_, i) => ({key: `app${i}`, cells: [`app${i}`, i === 4321 ? 'a-much-longer-namespace-name' : 'ns', String(i)]}));
		const widths = widthsOf(['APP', 'NAMESPACE', 'N'], rows);
		expect(widths).toEqual(['app4999'.length, 'a-much-longer-namespace-name'.length, 4]);
		const r = render(<Table columns={['APP', 'NAMESPACE', 'N']} widths={widths} rows={rows} selected={2500} height={10} width={100} theme={theme(false)} />);
		const lines = r.lastFrame()!.split('\n');
		expect(lines).toHaveLength(11); // header + 10 rows
		expect(lines.filter(l => l.startsWith('▸'))).toEqual([expect.stringMatching(/^▸app2500\s+ns\s+2500$/)]);
		expect(lines[0]).toMatch(/^ APP {6}NAMESPACE {21}N$/);
		r.unmount();
	});
});
