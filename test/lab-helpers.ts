import {execFile, spawnSync} from 'node:child_process';
import {randomBytes, randomInt} from 'node:crypto';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CLI, type Run} from './helpers.js';

export type LabHostInfo = {
	name: string; index: number; prefix: string; stateDir: string; underlayNs: string; vtep: string; grpcPort: number; agentPort: number; metricsPort: number; gobgpPid?: number; agentPid?: number;
};
export type LabRouterInfo = {name: string; namespace: string; address: string; grpcPort: number; pid?: number};
export type LabGatewayInfo = {name: string; namespace: string; address: string; target: string; label: number; vni: number; internet: string[]; tcpPort: number; control: string; config: string; pid?: number; fibPid?: number};
export type LabInfo = {prefix: string; dir: string; switchNs: string; rtc: boolean; reflectors: LabRouterInfo[]; hosts: LabHostInfo[]; gateway?: LabGatewayInfo};

/** Every process a lab started, from its lab.json. */
export const labPids = (l: LabInfo) => [...l.reflectors.map(r => r.pid), ...l.hosts.flatMap(h => [h.gobgpPid, h.agentPid]), l.gateway?.pid, l.gateway?.fibPid].filter((p): p is number => Boolean(p));

/**
 * A lab sandbox per test file: its own namespace prefix (every host, router and switch of the lab is a namespace of
 * its own, so addresses never meet another lab's), lab dir and port range, so labs of several test files run side by
 * side. `cleanup` runs `lab down` and then kills anything left by pid.
 */
export function labSandbox(letter = 'm') {
	const prefix = `${letter}${randomBytes(2).toString('hex').slice(0, 3)}-`;
	const base = mkdtempSync(join(tmpdir(), 'nsdeck-lab-'));
	const dir = join(base, 'lab');
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		NSDECK_LAB_PREFIX: prefix,
		NSDECK_LAB_DIR: dir,
		NSDECK_LAB_PORT: String(20_000 + randomInt(0, 60) * 700),
		NSDECK_STATE_DIR: join(base, 'unused'),
		NODE_ENV: 'production',
	};
	const extraPids = new Set<number>();
	let known: LabInfo | undefined;

	const run = (args: readonly string[], extra: Record<string, string> = {}): Promise<Run> =>
		new Promise(done => {
			const child = execFile(process.execPath, [CLI, ...args], {env: {...env, ...extra}, maxBuffer: 64 << 20}, (_e, stdout, stderr) => {
				done({code: child.exitCode, signal: child.signalCode, stdout, stderr});
			});
		});

	const lab = (): LabInfo => {
		known = JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabInfo;
		return known;
	};
	const host = (name: string) => lab().hosts.find(h => h.name === name)!;

	return {
		prefix,
		dir,
		env,
		nsdeck: run,
		lab,
		host,
		/** the CLI as one emulated host */
		on: (name: string, args: readonly string[]) => {
			const h = host(name);
			return run(args, {NSDECK_STATE_DIR: h.stateDir, NSDECK_NS_PREFIX: h.prefix});
		},
		vrouter: (name: string) => `${host(name).prefix}nsdeck-vr`,
		appNs: (name: string, app: string) => `${host(name).prefix}ns-${app}`,
		/** a network's kernel table number on a host */
		table: (name: string, network: string): string => {
			const db = spawnSync(process.execPath, [CLI, 'net', 'show', network, '--json'], {env: {...env, NSDECK_STATE_DIR: host(name).stateDir, NSDECK_NS_PREFIX: host(name).prefix}, encoding: 'utf8'});
			return (JSON.parse(db.stdout) as {table: string}).table;
		},
		/** restarts a host's (or a reflector's) gobgpd with its configuration in its namespace, as an operator would */
		restartGobgpd(name: string): number {
			const h = lab().hosts.find(x => x.name === name);
			const r = lab().reflectors.find(x => x.name === name)!;
			const child = spawnSyncDetached('ip', ['netns', 'exec', h ? h.underlayNs : r.namespace, 'gobgpd', '-f', join(dir, `${name}.toml`), '--api-hosts', `127.0.0.1:${h ? h.grpcPort : r.grpcPort}`, '--pprof-disable', '-p', '-l', 'info']);
			extraPids.add(child);
			return child;
		},
		/** a command inside a host's (or router's) namespace: what that machine would run */
		inNs(namespace: string, argv: readonly string[], input?: string) {
			return spawnSync('ip', ['netns', 'exec', namespace, ...argv], {encoding: 'utf8', env, ...(input !== undefined ? {input} : {})});
		},
		/** the CLI on a host, run inside its underlay namespace (where its agent and the other hosts' agents are reachable) */
		onHost(name: string, args: readonly string[]): Promise<Run> {
			const h = host(name);
			return new Promise(done => {
				const child = execFile('ip', ['netns', 'exec', h.underlayNs, process.execPath, CLI, ...args], {env: {...env, NSDECK_STATE_DIR: h.stateDir, NSDECK_NS_PREFIX: h.prefix}, maxBuffer: 64 << 20}, (_e, stdout, stderr) => {
					done({code: child.exitCode, signal: child.signalCode, stdout, stderr});
				});
			});
		},
		/** gobgp's CLI against a host's or reflector's gobgpd, JSON parsed */
		gobgp<T = unknown>(name: string, ...args: string[]): T {
			const h = lab().hosts.find(x => x.name === name);
			const r = lab().reflectors.find(x => x.name === name);
			const out = spawnSync('ip', ['netns', 'exec', h ? h.underlayNs : r!.namespace, 'gobgp', '-p', String(h ? h.grpcPort : r!.grpcPort), ...args, '-j'], {encoding: 'utf8'});
			return JSON.parse(out.stdout || 'null') as T;
		},
		namespaces: () => (existsSync('/run/netns') ? readdirSync('/run/netns').filter(n => n.startsWith(prefix)).sort() : []),
		async cleanup() {
			try {
				if (!known && existsSync(join(dir, 'lab.json'))) lab();
			} catch {}
			await run(['lab', 'down']);
			const pids = [...extraPids, ...(known ? labPids(known) : [])];
			for (const pid of pids) {
				if (!pid) continue;
				try {
					process.kill(pid, 'SIGKILL');
				} catch {}
			}
			for (const n of existsSync('/run/netns') ? readdirSync('/run/netns').filter(x => x.startsWith(prefix)) : []) spawnSync('ip', ['netns', 'del', n]);
			rmSync(base, {recursive: true, force: true});
		},
	};
}

import {spawn} from 'node:child_process';
function spawnSyncDetached(command: string, args: string[]): number {
	const child = spawn(command, args, {detached: true, stdio: 'ignore'});
	child.unref();
	return child.pid!;
}

export function pidAlive(pid: number | undefined): boolean {
	if (!pid) return false;
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return !stat.split(') ')[1]!.startsWith('Z');
	} catch {
		return false;
	}
}

/** Polls until check() is true or the deadline passes; returns the elapsed milliseconds (or throws). */
export async function within(ms: number, what: string, check: () => boolean): Promise<number> {
	const t0 = Date.now();
	for (;;) {
		if (check()) return Date.now() - t0;
		if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms: ${what}`);
		await new Promise(r => setTimeout(r, 10));
	}
}

/** Routes of a table as `prefix via dev` strings, from `ip -j`. */
export function routesOf(namespace: string, table: string): string[] {
	const r = spawnSync('ip', ['-n', namespace, '-j', 'route', 'show', 'table', table], {encoding: 'utf8'});
	return (JSON.parse(r.stdout || '[]') as Array<{dst: string; gateway?: string; dev?: string; type?: string}>)
		.filter(x => x.type !== 'unreachable')
		.map(x => `${x.dst}${x.gateway ? ` via ${x.gateway}` : ''} dev ${x.dev}`);
}
