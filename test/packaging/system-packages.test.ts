// `npm test`'s first step on a fresh machine: missing Debian packages are installed as root, or named with the exact
// apt-get line otherwise. dpkg-query and apt-get are faithful fakes on PATH (same arguments, same output format):
// removing and installing real packages would change the shared machine under everyone's tests.
import {spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {ROOT} from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nsdeck-syspkg-'));
chmodSync(dir, 0o755); // the unprivileged runs reach the fakes through it
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function fakes(missing: string[]) {
	const state = mkdtempSync(join(dir, 'state-'));
	chmodSync(state, 0o777);
	writeFileSync(join(state, 'missing'), missing.map(m => `${m}\n`).join(''));
	writeFileSync(join(state, 'log'), '');
	chmodSync(join(state, 'missing'), 0o666);
	chmodSync(join(state, 'log'), 0o666);
	// dpkg-query -W -f '${Package} ${db:Status-Status}\n' PKG...: an unknown package is an error line on stderr
	writeFileSync(join(state, 'dpkg-query'), `#!/bin/sh\nshift 3\nfor p in "$@"; do if grep -qx "$p" ${state}/missing; then echo "dpkg-query: no packages found matching $p" >&2; else echo "$p installed"; fi; done\n`);
	writeFileSync(join(state, 'apt-get'), `#!/bin/sh\n[ "$1" = --version ] && exit 0\necho "apt-get $*" >> ${state}/log\n[ "$1" = install ] && : > ${state}/missing\nexit 0\n`);
	chmodSync(join(state, 'dpkg-query'), 0o755);
	chmodSync(join(state, 'apt-get'), 0o755);
	return state;
}

function pretest(state: string, asUser = false, what = 'test') {
	const argv = [process.execPath, join(ROOT, 'scripts', 'system-packages.mjs'), what];
	const cmd = asUser ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
	return spawnSync(cmd[0]!, cmd.slice(1), {encoding: 'utf8', env: {...process.env, PATH: `${state}:${process.env.PATH}`}});
}

describe('npm test checks the Debian packages first', () => {
	it('as root: installs the missing ones, saying so in one line, and goes on', () => {
		const state = fakes(['tmux', 'bird2']);
		const r = pretest(state);
		expect(r.status).toBe(0);
		expect(r.stderr).toBe('npm test: installing missing Debian packages: apt-get install -y tmux bird2\n');
		expect(readFileSync(join(state, 'log'), 'utf8')).toBe('apt-get update -qq\napt-get install -y -qq tmux bird2\n');
	});

	it('as another user: prints the exact apt-get line and stops with exit 1, installing nothing', () => {
		const state = fakes(['gobgpd', 'golang-github-osrg-gobgp-dev']);
		const r = pretest(state, true);
		expect(r.status).toBe(1);
		expect(r.stdout).toBe('sudo apt-get install -y gobgpd golang-github-osrg-gobgp-dev\n');
		expect(r.stderr).toMatch(/^npm test: missing Debian packages: gobgpd \(gobgpd and gobgp: .*\), golang-github-osrg-gobgp-dev \(.*\.proto.*\); install them with:\n$/);
		expect(readFileSync(join(state, 'log'), 'utf8')).toBe('');
	});

	it('with every package present: silent as root; another user is told the tests need root (exit 1)', () => {
		const state = fakes([]);
		const r = pretest(state);
		expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
		const user = pretest(state, true);
		expect(user.status).toBe(1);
		expect(user.stderr).toMatch(/^npm test: the tests create real network namespaces and run as root: sudo npm test/);
	});

	it('a failing apt-get stops the tests with its own words', () => {
		const state = fakes(['tmux']);
		writeFileSync(join(state, 'apt-get'), '#!/bin/sh\n[ "$1" = --version ] && exit 0\necho "E: Unable to locate package tmux" >&2\nexit 100\n');
		const r = pretest(state);
		expect(r.status).toBe(1);
		expect(r.stderr).toContain('E: Unable to locate package tmux');
		expect(r.stderr).toMatch(/npm test: apt-get update -qq failed \(exit 100\)\n$/);
	});

	it('npm start needs only iproute2 and procps, and tells another user what root adds', () => {
		const state = fakes(['tmux']);
		const r = pretest(state, true, 'start');
		expect(r.status).toBe(0);
		expect(r.stderr).toMatch(/^npm start: not root: /);
		const missing = pretest(fakes(['iproute2']), true, 'start');
		expect([missing.status, missing.stdout]).toEqual([1, 'sudo apt-get install -y iproute2\n']);
	});
});
