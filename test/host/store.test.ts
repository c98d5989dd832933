import Database from 'better-sqlite3';
import {spawnSync} from 'node:child_process';
import {chownSync, mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {MIGRATIONS} from '../../source/store/schema.js';
import {CLI, ip, ok, sandbox} from '../helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

function audit(): Array<{op: string; user: string; result: string; args: string; detail: string | null}> {
	const db = new Database(join(sb.stateDir, 'nsdeck.db'), {readonly: true});
	const rows = db.prepare('SELECT op, user, result, args, detail FROM audit ORDER BY id').all() as ReturnType<typeof audit>;
	db.close();
	return rows;
}

describe('the intent store (real SQLite)', () => {
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.151.0.0/24']));
		await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
	});

	it('is private (0600 file in a 0700 dir), in WAL mode, at the latest schema version', () => {
		expect(statSync(join(sb.stateDir, 'nsdeck.db')).mode & 0o777).toBe(0o600);
		expect(statSync(sb.stateDir).mode & 0o777).toBe(0o700);
		const db = new Database(join(sb.stateDir, 'nsdeck.db'), {readonly: true});
		expect(db.pragma('journal_mode', {simple: true})).toBe('wal');
		expect(db.pragma('user_version', {simple: true})).toBe(MIGRATIONS.length);
		db.close();
	});

	it('keeps an audit row per change: who, what, with which arguments, and the result', () => {
		const rows = audit();
		expect(rows.map(r => [r.op, r.result])).toEqual([['net create', 'ok'], ['bind', 'ok']]);
		expect(rows[1]!.user).toBe('root');
		expect(JSON.parse(rows[1]!.args)).toMatchObject({app: 'a', network: 'blue'});
	});

	it('a kernel failure exits 1 with one line, undoes intent and kernel, and is audited as an error', async () => {
		ip(sb.vrouter, 'link', 'add', `${sb.prefix}vi-x`, 'type', 'dummy'); // dummy may be missing: fall back to a veth
		if (!ip(sb.vrouter, 'link', 'show', `${sb.prefix}vi-x`)) ip(sb.vrouter, 'link', 'add', `${sb.prefix}vi-x`, 'type', 'veth', 'peer', 'name', 'xpeer');
		const r = await sb.nsdeck(['bind', 'x', '--network', 'blue']);
		expect(r.code).toBe(1);
		expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
		expect(r.stderr.trim()).toMatch(/^nsdeck: ip -n \S+: 'link add \S+vi-x .*' failed: .*File exists.*; undone$/);
		expect(sb.namespaces()).not.toContain(sb.ns('x'));
		const status = JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout);
		expect(status.apps.map((a: {name: string}) => a.name)).toEqual(['a']);
		expect(audit().at(-1)).toMatchObject({op: 'bind', result: 'error'});
		expect(audit().at(-1)!.detail).toContain('File exists');
		ip(sb.vrouter, 'link', 'del', `${sb.prefix}vi-x`);
	});

	it('refuses to bind over a namespace it did not create', async () => {
		ip(undefined, 'netns', 'add', sb.ns('foreign'));
		const r = await sb.nsdeck(['bind', 'foreign', '--network', 'blue']);
		expect(r.code).toBe(2);
		expect(r.stderr.trim()).toBe(`nsdeck: namespace ${sb.ns('foreign')} already exists and is not nsdeck's; use 'nsdeck attach' for a running process`);
		expect(sb.namespaces()).toContain(sb.ns('foreign'));
	});
});

describe('without root (setpriv to nobody)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'nsdeck-nobody-'));
	afterAll(() => rmSync(dir, {recursive: true, force: true}));
	const asNobody = (...args: string[]) => {
		chownSync(dir, 65534, 65534);
		return spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args], {
			encoding: 'utf8',
			env: {PATH: process.env.PATH, NSDECK_STATE_DIR: join(dir, 'state'), NSDECK_NS_PREFIX: sb.prefix},
		});
	};

	it('read commands work and say the kernel needs root; changes say so plainly', () => {
		const list = asNobody('net', 'list');
		expect(list.status).toBe(0);
		const status = asNobody('status');
		expect(status.status).toBe(0);
		expect(status.stdout).toContain('(kernel not read: needs root)');
		const create = asNobody('net', 'create', 'blue', '--subnet', '10.152.0.0/24');
		expect(create.status).toBe(1);
		expect(create.stderr.trim()).toBe('nsdeck: this changes network namespaces and needs root (try sudo)');
	});
});
