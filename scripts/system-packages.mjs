// Before `npm test` (and `npm start`): the Debian packages nsdeck's tests (or the console) run, checked in one
// dpkg-query. As root with apt-get, the missing ones are installed, said in one line; otherwise the exact
// `apt-get install` line is printed and the step stops with exit 1, before anything else runs.
// Usage: node scripts/system-packages.mjs test|start
import {spawnSync} from 'node:child_process';

/** What runs which package's programs (one table: the README's and CI's list is this one). */
const PACKAGES = {
	iproute2: {for: ['test', 'start'], why: 'ip: namespaces, veths, rules, routes'},
	procps: {for: ['test', 'start'], why: 'sysctl inside namespaces (forwarding, rp_filter)'},
	'iputils-ping': {for: ['test'], why: 'ping: reachability in both directions'},
	'util-linux': {for: ['test'], why: 'unshare, nsenter, setpriv: attached and unprivileged processes'},
	tmux: {for: ['test'], why: "the console's end-to-end tests"},
	gobgpd: {for: ['test'], why: 'gobgpd and gobgp: many hosts over BGP L3VPN'},
	'golang-github-osrg-gobgp-dev': {for: ['test'], why: "gobgpd's .proto files, nsdeck's gRPC client loads them"},
	bird2: {for: ['test'], why: "BIRD: the lab's gateway router, a BGP speaker that is not nsdeck"},
	systemd: {for: ['test'], why: "systemd-analyze verify checks the units nsdeck prints (no running systemd needed)"},
	zsh: {for: ['test'], why: 'the zsh completion script, tried in zsh'},
	fish: {for: ['test'], why: 'the fish completion script, tried in fish'},
};

const what = process.argv[2] === 'start' ? 'start' : 'test';
const wanted = Object.keys(PACKAGES).filter(p => PACKAGES[p].for.includes(what));
const say = line => process.stderr.write(`npm ${what}: ${line}\n`);

/** Packages dpkg does not have installed; undefined when this is not a Debian system. */
function missing(names) {
	const r = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${db:Status-Status}\n', ...names], {encoding: 'utf8'});
	if (r.error) return undefined;
	const installed = new Set(r.stdout.split('\n').filter(l => l.endsWith(' installed')).map(l => l.split(' ')[0]));
	return names.filter(n => !installed.has(n));
}

const root = process.getuid?.() === 0;
const absent = missing(wanted);
if (absent === undefined) {
	say(`not a Debian system (no dpkg-query): make sure these are installed: ${wanted.map(p => `${p} (${PACKAGES[p].why})`).join(', ')}`);
} else if (absent.length > 0) {
	const line = `apt-get install -y ${absent.join(' ')}`;
	const hasApt = spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).status === 0;
	if (!root || !hasApt) {
		say(`missing Debian packages: ${absent.map(p => `${p} (${PACKAGES[p].why})`).join(', ')}; install them with:`);
		process.stdout.write(`${root ? '' : 'sudo '}${line}\n`);
		process.exit(1);
	}
	say(`installing missing Debian packages: ${line}`);
	const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
	// the package lists of a fresh machine may be empty or stale: refresh them once, quietly
	const steps = [['apt-get', ['update', '-qq']], ['apt-get', ['install', '-y', '-qq', ...absent]]];
	for (const [cmd, args] of steps) {
		const r = spawnSync(cmd, args, {env, encoding: 'utf8'});
		if (r.status !== 0) {
			process.stderr.write(r.stdout + r.stderr);
			say(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
			process.exit(1);
		}
	}
	const still = missing(absent) ?? [];
	if (still.length > 0) {
		say(`still missing after apt-get: ${still.join(' ')}`);
		process.exit(1);
	}
}

if (!root) {
	if (what === 'test') {
		say('the tests create real network namespaces and run as root: sudo npm test (the pure ones alone: npx vitest run test/core)');
		process.exit(1);
	}
	say('not root: the console will show intent only; reading the kernel and every change need root (sudo npm start)');
}
