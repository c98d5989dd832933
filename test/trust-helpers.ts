// Helpers for the issue-8 trust tests: the whole kernel view of a sandbox, processes we start (and always stop, by
// pid), the agent API served in process, and small readers of what an operator sees.
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import type {Server} from 'node:http';
import {join} from 'node:path';
import {ipJson, ok, type Run, type Sandbox} from './helpers.js';

/**
 * Every namespace of the sandbox with its IPv4 addresses, routes of every table and rules: two states compare by it.
 * (IPv6 is left out: nsdeck sets none, and link-local addresses finish their DAD on their own a second later.)
 */
export function kernelView(sb: Sandbox): string {
	const strip = (x: unknown) => JSON.stringify(x, (k, v) => (k === 'valid_life_time' || k === 'preferred_life_time' ? undefined : v));
	return JSON.stringify(sb.namespaces().map(ns => [
		ns,
		strip(ipJson(ns, '-4', 'addr', 'show')),
		strip(ipJson(ns, '-4', 'route', 'show', 'table', 'all')),
		strip(ipJson(ns, '-4', 'rule', 'show')),
	]));
}

/** `it.each` rows titled by the command line they run. */
export const titled = (list: readonly string[][]) => list.map(args => [args.join(' '), args] as [string, string[]]);

/** The exit code is exact, stdout empty, and stderr one line (no stack trace). */
export function expectOneLine(r: Run): string {
	const lines = r.stderr.trimEnd().split('\n');
	if (lines.length !== 1 || /^\s+at /m.test(r.stderr)) throw new Error(`expected one line on stderr, got:\n${r.stderr}`);
	return lines[0]!;
}

export async function statusJson(sb: Sandbox): Promise<Status> {
	return JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout) as Status;
}

export type StatusApp = {
	name: string;
	namespace: string;
	kind: string;
	ifaces: Array<{role: 'in' | 'out'; network: string; address: string; hostIf: string}>;
	process: {pid: number; running: boolean; command?: string[]} | null;
	drift: string[];
};
export type Status = {
	apps: StatusApp[];
	networks: Array<{name: string; subnet: string; table: string; targets: Array<{rt: string; auto: boolean}>; apps: string[]}>;
	routes: Array<{network: string; prefix: string; installed: boolean | null}>;
	drift?: Array<{kind: string; object: string; expected?: unknown; seen?: unknown}>;
	foreign?: Array<{kind: string; namespace: string; object: string; detail?: string}>;
	externals: unknown[];
};

/** `reconcile --dry-run --json`: the changes a reconcile would make now. */
export async function dryRunChanges(sb: Sandbox): Promise<Array<{op: string; what: string; detail: string}>> {
	return JSON.parse((await ok(sb.nsdeck(['reconcile', '--dry-run', '--json']))).stdout).changes;
}

/** The count in the text header of `status`: `drift N`. */
export async function headerDrift(sb: Sandbox): Promise<number> {
	const first = (await ok(sb.nsdeck(['status']))).stdout.split('\n')[0]!;
	const m = /drift (\d+)/.exec(first);
	if (!m) throw new Error(`no 'drift N' in the status header: ${first}`);
	return Number(m[1]);
}

/** Alive and not a zombie: PID 1 here reaps slowly, so a killed process may linger as <defunct>. */
export function alive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false;
	}
}

export async function waitFor(cond: () => boolean, ms = 3000): Promise<boolean> {
	for (let t = 0; t < ms; t += 50) {
		if (cond()) return true;
		await new Promise(r => setTimeout(r, 50));
	}
	return cond();
}

/** Live (non-zombie) processes inside a named namespace. */
export function pidsIn(ns: string): number[] {
	const r = spawnSync('ip', ['netns', 'pids', ns], {encoding: 'utf8'});
	return r.stdout.split('\n').filter(Boolean).map(Number).filter(alive);
}

/** Live processes whose command line is exactly `argv`. */
export function pidsRunning(argv: readonly string[]): number[] {
	const want = argv.join('\0') + '\0';
	const out: number[] = [];
	for (const d of readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		try {
			if (readFileSync(`/proc/${d}/cmdline`, 'utf8') === want && alive(Number(d))) out.push(Number(d));
		} catch {}
	}
	return out;
}

/** Processes a test starts itself (sleepers standing for daemons and containers): each is stopped by its pid. */
export class Tracked {
	readonly pids: number[] = [];
	/** Detached, output discarded; the pid is the command's own (`ip netns exec` and `unshare` exec into it). */
	start(cmd: string, args: readonly string[]): number {
		const child = spawn(cmd, args, {stdio: 'ignore', detached: true});
		child.unref();
		this.pids.push(child.pid!);
		return child.pid!;
	}
	adopt(...pids: number[]): void {
		this.pids.push(...pids);
	}
	killAll(): void {
		for (const pid of this.pids) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {}
		}
	}
}

/**
 * Watches an app's IPv4 address events from the vrouter (`ip monitor all-nsid`): a process inside the app's namespace
 * would itself count as the app running. `stop()` returns the events seen (empty: no address deleted or added).
 */
export function watchAddresses(sb: Sandbox, app: string): {stop(): Promise<string>} {
	const nsid = ipJson<Array<{nsid: number; name?: string}>>(sb.vrouter, 'netns', 'list-id').find(n => n.name === sb.ns(app))?.nsid;
	if (nsid === undefined) throw new Error(`${sb.ns(app)} has no nsid in the vrouter`);
	const mon = spawn('ip', ['-n', sb.vrouter, '-4', 'monitor', 'address', 'all-nsid'], {stdio: ['ignore', 'pipe', 'ignore']});
	let out = '';
	mon.stdout.on('data', d => (out += String(d)));
	return {
		async stop() {
			await new Promise(r => setTimeout(r, 100));
			mon.kill('SIGKILL');
			return out.split('\n').filter(l => l.startsWith(`[nsid ${nsid}]`)).join('\n');
		},
	};
}

/** A unique argv for a daemon: `sleep N` with N drawn per sandbox, so its processes are found (and counted) exactly. */
export function markerCommand(): string[] {
	return ['sleep', String(900_000_000 + Math.floor(Math.random() * 99_999_999))];
}

export type Api = {url: string; token: string; logs: string[]; post(path: string, body: unknown, auth?: string | null): Promise<{status: number; body: any}>; get(path: string, auth?: string | null): Promise<{status: number; body: any}>; close(): Promise<void>};

/**
 * The agent's HTTP API served in this process over the sandbox's store (as test/tui/hosts.test.tsx does). Each log
 * line the agent writes is kept in `logs`. Requests carry the token from the state dir unless `auth` says otherwise
 * (null: no Authorization header).
 */
export async function startApi(sb: Sandbox): Promise<Api> {
	const [{serveApi}, {openContext}] = await Promise.all([import('../source/agent/api.js'), import('../source/provision/context.js')]);
	const ctx = openContext(sb.env);
	const logs: string[] = [];
	let server: Server;
	try {
		// every line the agent writes about a request, whichever way it reports it
		server = await serveApi(ctx, {port: 0, health: () => ({gobgp: false}), log: (line: string) => void logs.push(line), onRequest: r => void logs.push(JSON.stringify(r))});
	} catch (e) {
		ctx.close();
		throw e;
	}
	const address = server.address();
	const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
	const tokenFile = join(sb.stateDir, 'agent.token');
	const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
	const call = async (method: string, path: string, body: unknown, auth: string | null | undefined) => {
		const headers: Record<string, string> = {'content-type': 'application/json'};
		const bearer = auth === undefined ? token : auth;
		if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
		const res = await fetch(url + path, {method, headers, ...(method === 'POST' ? {body: typeof body === 'string' ? body : JSON.stringify(body)} : {})});
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {}
		return {status: res.status, body: parsed as any};
	};
	return {
		url,
		token,
		logs,
		post: (path, body, auth) => call('POST', path, body, auth),
		get: (path, auth) => call('GET', path, undefined, auth),
		close: () => new Promise<void>(r => server.close(() => {
			ctx.close();
			r();
		})),
	};
}
