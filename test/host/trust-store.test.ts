// Issue 8, seen 3 (silent data loss): the store is never guessed. A 0-byte store, a mistyped NSDECK_STATE_DIR, a
// store of another schema or program, an unreadable one: refused with a clear message, and no namespace deleted. A
// read-only store is read. Only what the store names is ever deleted; `init` and `teardown` do the rest on request.
import Database from 'better-sqlite3';
import {execFile, spawnSync} from 'node:child_process';
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ip, ok, type Run, sandbox, type Sandbox, storeDump} from '../helpers.js';
import {expectOneLine, kernelView, statusJson, titled} from '../trust-helpers.js';

const boxes: Sandbox[] = [];
const extraDirs: string[] = [];
afterAll(() => {
	for (const b of boxes) b.cleanup();
	for (const d of extraDirs) rmSync(d, {recursive: true, force: true});
});
function box(): Sandbox {
	const b = sandbox();
	boxes.push(b);
	return b;
}
function freshDir(): string {
	const d = mkdtempSync(join(tmpdir(), 'nsdeck-trust-'));
	extraDirs.push(d);
	return d;
}

/** A sandbox with a network and two apps: what a real host's store names. */
async function populated(subnet: string): Promise<Sandbox> {
	const b = box();
	await ok(b.nsdeck(['net', 'create', 'blue', '--subnet', subnet]));
	await ok(b.nsdeck(['bind', 'a', '--network', 'blue']));
	await ok(b.nsdeck(['bind', 'b', '--network', 'blue']));
	return b;
}

const dbOf = (dir: string) => join(dir, 'nsdeck.db');

function expectRefusal(r: Run, code: number, ...words: RegExp[]): void {
	expect(r.code, r.stderr).toBe(code);
	const line = expectOneLine(r);
	for (const w of words) expect(line).toMatch(w);
}

describe('a 0-byte nsdeck.db is refused by every command, and nothing is deleted (seen 3)', () => {
	let sb: Sandbox;
	let before: string[];
	beforeAll(async () => {
		sb = await populated('10.163.0.0/24');
		before = sb.namespaces();
		writeFileSync(dbOf(sb.stateDir), '');
	});

	it.each(titled([['status'], ['status', '--json'], ['net', 'list'], ['net', 'create', 'green', '--subnet', '10.164.0.0/24'], ['bind', 'c', '--network', 'blue'], ['reconcile'], ['reconcile', '--dry-run']]))('%s: exit 1, "is empty (0 bytes)", "nsdeck init"', async (_title, args) => {
		const r = await sb.nsdeck(args);
		expect(sb.namespaces()).toEqual(before);
		expectRefusal(r, 1, /is empty \(0 bytes\)/, /nsdeck init/);
		expect(statSync(dbOf(sb.stateDir)).size).toBe(0);
	});

	it('`init` refuses while a file is there; `init --force` moves it aside (never deletes it) and makes an empty store', async () => {
		const r = await sb.nsdeck(['init']);
		expect(r.code).not.toBe(0);
		expectOneLine(r);
		expect(statSync(dbOf(sb.stateDir)).size).toBe(0);
		await ok(sb.nsdeck(['init', '--force']));
		const aside = readdirSync(sb.stateDir).filter(f => /^nsdeck\.db\.broken-/.test(f));
		expect(aside).toHaveLength(1);
		expect(statSync(join(sb.stateDir, aside[0]!)).size).toBe(0);
		expect(statSync(dbOf(sb.stateDir)).mode & 0o777).toBe(0o600);
		// the new store names nothing while the kernel holds the prefix's namespaces (made by the store moved aside):
		// reads work, writes refuse
		expect((await ok(sb.nsdeck(['status']))).code).toBe(0);
		expectRefusal(await sb.nsdeck(['reconcile']), 1, /names nothing|made by the store at/, /NSDECK_STATE_DIR/);
		expect(sb.namespaces()).toEqual(before);
	});
});

describe('a mistyped NSDECK_STATE_DIR (a store that names nothing beside a kernel that holds the prefix) (seen 3)', () => {
	let sb: Sandbox;
	let wrong: string;
	let store: string;
	let kernel: string;
	const at = (dir: string, args: string[]) => sb.nsdeck(args, {NSDECK_STATE_DIR: dir});
	beforeAll(async () => {
		sb = await populated('10.165.0.0/24');
		wrong = join(freshDir(), 'typo');
		store = storeDump(sb.stateDir);
		kernel = kernelView(sb);
	});

	it('status works, creates no store, and shows the prefix\'s namespaces as foreign', async () => {
		const r = await ok(at(wrong, ['status', '--json']));
		expect(existsSync(wrong)).toBe(false);
		const s = JSON.parse(r.stdout);
		expect(s.apps).toEqual([]);
		expect(JSON.stringify(s.foreign ?? [])).toContain(sb.ns('a'));
		expect(JSON.stringify(s.foreign ?? [])).toContain(sb.vrouter);
	});

	it.each(titled([['reconcile'], ['net', 'create', 'green', '--subnet', '10.166.0.0/24'], ['route', 'add', '0.0.0.0/0', '--rt', '64512:9', '--via', '203.0.113.1']]))('%s: refused (NSDECK_STATE_DIR), every namespace kept', async (_title, args) => {
		const r = await at(wrong, args);
		expect(sb.namespaces()).toEqual([sb.ns('a'), sb.ns('b'), sb.vrouter]);
		expect(kernelView(sb)).toBe(kernel);
		expectRefusal(r, 1, /NSDECK_STATE_DIR/, /names nothing|made by the store at/);
		expect(storeDump(sb.stateDir)).toBe(store);
	});

	it('a write from another store is refused naming the store that made the vrouter', async () => {
		const other = freshDir();
		const r = await at(other, ['net', 'create', 'green', '--subnet', '10.166.0.0/24']);
		expect(kernelView(sb)).toBe(kernel);
		expectRefusal(r, 1, new RegExp(`made by the store at ${sb.stateDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
	});

	it('with a vrouter made before stores were recorded (no stamp), the refusal says the store names nothing', async () => {
		spawnSync('ip', ['-n', sb.vrouter, 'link', 'set', 'dev', 'lo', 'alias', '']);
		const r = await at(freshDir(), ['reconcile']);
		expect(sb.namespaces()).toEqual([sb.ns('a'), sb.ns('b'), sb.vrouter]);
		expectRefusal(r, 1, /names nothing/, /NSDECK_STATE_DIR/);
		// the right store still works, and puts its stamp back
		expect((await ok(sb.nsdeck(['reconcile']))).code).toBe(0);
	});
});

describe('stores of another schema or program, or unreadable ones, are refused and left as they are (seen 3)', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await populated('10.167.0.0/24');
	});

	it('user_version 99: "schema version 99", "upgrade nsdeck"; the store is not touched', async () => {
		const db = new Database(dbOf(sb.stateDir));
		const version = db.pragma('user_version', {simple: true}) as number;
		db.pragma('user_version = 99');
		db.close();
		const dump = storeDump(sb.stateDir);
		for (const args of [['status'], ['net', 'create', 'green', '--subnet', '10.168.0.0/24'], ['reconcile']]) {
			expectRefusal(await sb.nsdeck(args), 1, /schema version 99/, /upgrade nsdeck/);
		}
		expect(storeDump(sb.stateDir)).toBe(dump);
		expect(sb.namespaces()).toContain(sb.ns('a'));
		const back = new Database(dbOf(sb.stateDir));
		expect(back.pragma('user_version', {simple: true})).toBe(99);
		back.pragma(`user_version = ${version}`);
		back.close();
	});

	it('a file that is not a database: "not an nsdeck store"; the file keeps its bytes', async () => {
		const dir = freshDir();
		const junk = 'not a database\n'.repeat(400);
		writeFileSync(dbOf(dir), junk, {mode: 0o600});
		for (const args of [['status'], ['net', 'create', 'green', '--subnet', '10.168.0.0/24']]) {
			expectRefusal(await sb.nsdeck(args, {NSDECK_STATE_DIR: dir}), 1, /not an nsdeck store/);
		}
		expect(readFileSync(dbOf(dir), 'utf8')).toBe(junk);
	});

	it('another program\'s SQLite database: "not an nsdeck store"; no nsdeck table is added to it', async () => {
		const dir = freshDir();
		const db = new Database(dbOf(dir));
		db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)');
		db.close();
		expectRefusal(await sb.nsdeck(['net', 'create', 'green', '--subnet', '10.168.0.0/24'], {NSDECK_STATE_DIR: dir}), 1, /not an nsdeck store/);
		const again = new Database(dbOf(dir), {readonly: true});
		expect(again.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['photos']);
		again.close();
	});

	it('a store its user cannot read: "cannot read store" (as nobody, setpriv)', () => {
		chmodSync(sb.stateDir, 0o755);
		const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'status'], {
			encoding: 'utf8',
			env: {PATH: process.env.PATH, NSDECK_STATE_DIR: sb.stateDir, NSDECK_NS_PREFIX: sb.prefix},
		});
		chmodSync(sb.stateDir, 0o700);
		expect(r.status, r.stderr).toBe(1);
		expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
		expect(r.stderr).toMatch(/cannot read store/);
	});
});

describe('a read-only store is read; writes refuse with "read-only" and change nothing (seen 3)', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await populated('10.169.0.0/24');
	});

	/** nsdeck in a mount namespace of its own where the state dir is a read-only bind mount. */
	const readOnly = (args: string[]): Promise<Run> =>
		new Promise(done => {
			const script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"';
			const child = execFile('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, sb.stateDir, process.execPath, CLI, ...args], {env: sb.env}, (_e, stdout, stderr) => {
				done({code: child.exitCode, signal: child.signalCode, stdout, stderr});
			});
		});

	it('status, net list and routes work on a read-only mount', async () => {
		const status = await readOnly(['status', '--json']);
		expect(status.code, status.stderr).toBe(0);
		expect(JSON.parse(status.stdout).apps.map((a: {name: string}) => a.name)).toEqual(['a', 'b']);
		const list = await readOnly(['net', 'list', '--json']);
		expect(list.code, list.stderr).toBe(0);
		expect((await readOnly(['routes', 'blue'])).code).toBe(0);
	});

	it('a write on a read-only mount: exit 1, "read-only", nothing changed', async () => {
		const store = storeDump(sb.stateDir);
		const kernel = kernelView(sb);
		const r = await readOnly(['bind', 'c', '--network', 'blue']);
		expectRefusal(r, 1, /read-only/);
		expect(kernelView(sb)).toBe(kernel);
		expect(storeDump(sb.stateDir)).toBe(store);
	});

	it('a store file its user may read but not write (nobody, 0400): status works', () => {
		const dir = freshDir();
		const state = join(dir, 'state');
		mkdirSync(state);
		writeFileSync(join(state, 'nsdeck.db'), readFileSync(dbOf(sb.stateDir)));
		chownSync(state, 65534, 65534);
		chownSync(join(state, 'nsdeck.db'), 65534, 65534);
		chmodSync(join(state, 'nsdeck.db'), 0o400);
		chmodSync(state, 0o500);
		chmodSync(dir, 0o755);
		const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'status', '--json'], {
			encoding: 'utf8',
			env: {PATH: process.env.PATH, NSDECK_STATE_DIR: state, NSDECK_NS_PREFIX: sb.prefix},
		});
		chmodSync(state, 0o700);
		expect(r.status, r.stderr).toBe(0);
		expect(JSON.parse(r.stdout).apps.map((a: {name: string}) => a.name)).toEqual(['a', 'b']);
	});
});

describe('no store yet: reads show an empty host and create nothing; the first write creates it (spec 3)', () => {
	it('status and net list create no file and no directory; net create makes a 0600 store', async () => {
		const sb = box();
		const dir = join(freshDir(), 'later');
		const r = await ok(sb.nsdeck(['status', '--json'], {NSDECK_STATE_DIR: dir}));
		expect(JSON.parse(r.stdout).apps).toEqual([]);
		expect(JSON.parse((await ok(sb.nsdeck(['net', 'list', '--json'], {NSDECK_STATE_DIR: dir}))).stdout)).toEqual([]);
		expect(existsSync(dir)).toBe(false);
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.170.0.0/24'], {NSDECK_STATE_DIR: dir}));
		expect(statSync(dbOf(dir)).mode & 0o777).toBe(0o600);
	});
});

describe('only what the store names is deleted (seen 3; spec 3)', () => {
	it('a namespace with the prefix that the store does not name survives reconcile, binds and unbinds, even behind a tagged veth', async () => {
		const sb = await populated('10.171.0.0/24');
		const stranger = sb.ns('stranger');
		spawnSync('ip', ['netns', 'add', stranger]);
		spawnSync('ip', ['-n', sb.vrouter, 'link', 'add', `${sb.prefix}vi-str`, 'group', '77', 'type', 'veth', 'peer', 'name', 'veth0', 'netns', stranger]);
		expect(ip(stranger, 'link', 'show', 'veth0')).toContain('veth0');
		await ok(sb.nsdeck(['reconcile']));
		expect(sb.namespaces()).toContain(stranger);
		await ok(sb.nsdeck(['bind', 'c', '--network', 'blue']));
		await ok(sb.nsdeck(['unbind', 'a']));
		expect(sb.namespaces()).toContain(stranger);
		expect(ip(stranger, 'link', 'show', 'veth0')).toContain('veth0');
		// and it is shown: status lists it as foreign
		const s = await statusJson(sb);
		expect(JSON.stringify(s.foreign ?? [])).toContain(stranger);
	});
});

describe('teardown: the vrouter outlives the last network until asked (seen 9; spec 3)', () => {
	it('refused while the store names an app (exit 2); --dry-run changes nothing; teardown leaves no namespace; --foreign also removes strangers', async () => {
		const sb = box();
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.172.0.0/24']));
		await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
		const busy = await sb.nsdeck(['teardown']);
		expect(busy.code).toBe(2);
		expect(expectOneLine(busy)).toMatch(/\bapp|network/);
		await ok(sb.nsdeck(['unbind', 'a']));
		await ok(sb.nsdeck(['net', 'delete', 'blue']));
		expect(sb.namespaces()).toEqual([sb.vrouter]); // the empty vrouter outlives the last network
		spawnSync('ip', ['netns', 'add', sb.ns('left')]);
		const dry = await ok(sb.nsdeck(['teardown', '--dry-run']));
		expect(dry.stdout).toContain(sb.vrouter);
		expect(sb.namespaces()).toEqual([sb.ns('left'), sb.vrouter]);
		await ok(sb.nsdeck(['teardown']));
		expect(sb.namespaces()).toEqual([sb.ns('left')]);
		await ok(sb.nsdeck(['teardown', '--foreign']));
		expect(sb.namespaces()).toEqual([]);
	});
});
