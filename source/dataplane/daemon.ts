// Long-lived processes (gobgpd, BIRD, agents in the lab; apps' daemons): started detached with execa, loaded only
// here and only when a daemon is started (execa costs ~80 ms to load; scripted commands never pay it). A daemon
// that dies at once is an error that says how (exit code or signal) and why (the tail of its output).
import {closeSync, openSync, readFileSync} from 'node:fs';
import {OperationError} from '../core/errors.js';

export type DaemonSpec = {
	/** how the operator knows it: "gobgpd of h1" */
	readonly name: string;
	readonly command: string;
	readonly args: readonly string[];
	/** run inside this network namespace (ip netns exec, which execs: the pid stays the daemon's) */
	readonly namespace?: string;
	/** stdout and stderr go here (appended, 0600) */
	readonly log: string;
	readonly env?: NodeJS.ProcessEnv;
	/** how long it must stay up to count as started (default 150 ms) */
	readonly settleMs?: number;
};

export type Daemon = {readonly pid: number; readonly name: string; readonly log: string};

/** The last lines of a daemon's log, for an error message. */
export function logTail(path: string, lines = 5, maxChars = 600): string {
	try {
		const text = readFileSync(path, 'utf8').trimEnd();
		return text.split('\n').slice(-lines).join(' | ').slice(-maxChars);
	} catch {
		return '';
	}
}

/** Why a daemon ended, in an operator's words. */
export function exitText(code: number | null | undefined, signal: string | null | undefined): string {
	if (signal) return `killed by ${signal}`;
	return code === null || code === undefined ? 'ended' : `exited with code ${code}`;
}

/** Starts a daemon detached (its own session, not a child to wait for), never through a shell. */
export async function startDaemon(spec: DaemonSpec): Promise<Daemon> {
	const {execa} = await import('execa');
	const command = spec.namespace ? 'ip' : spec.command;
	const args: string[] = spec.namespace ? ['netns', 'exec', spec.namespace, spec.command, ...spec.args] : [...spec.args];
	// the log's descriptor is handed to the daemon itself (no pipe through this process, which may exit at once)
	const fd = openSync(spec.log, 'a', 0o600) as 3;
	let child;
	try {
		child = execa(command, args, {detached: true, cleanup: false, stdin: 'ignore', stdout: fd, stderr: fd, env: spec.env ?? process.env, extendEnv: false, reject: false});
	} finally {
		closeSync(fd);
	}
	const pid = child.pid;
	if (pid === undefined) {
		const r = await child;
		throw new OperationError(`${spec.name} could not start: ${(r.shortMessage ?? r.message ?? 'no process').split('\n')[0]}`);
	}
	// it counts as started once it has stayed up a moment; an exit meanwhile is reported with its output
	const early = await Promise.race([child.then(r => r), new Promise<undefined>(r => setTimeout(r, spec.settleMs ?? 150))]);
	if (early) {
		const tail = logTail(spec.log);
		throw new OperationError(`${spec.name} ${exitText(early.exitCode, early.signal)} at start${tail ? `: ${tail}` : ''} (log ${spec.log})`);
	}
	// from here on it lives on its own: no handle keeps this process waiting for it
	child.unref?.();
	void child.catch(() => undefined);
	return {pid, name: spec.name, log: spec.log};
}

/** Is this pid a live process (not a zombie waiting for PID 1 to reap it)? */
export function daemonAlive(pid: number | undefined): boolean {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
	} catch {
		return false;
	}
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
export async function stopDaemon(pid: number | undefined, graceMs = 2000): Promise<void> {
	if (!daemonAlive(pid)) return;
	try {
		process.kill(pid!, 'SIGTERM');
	} catch {}
	const end = Date.now() + graceMs;
	while (daemonAlive(pid) && Date.now() < end) await new Promise(r => setTimeout(r, 25));
	if (daemonAlive(pid)) {
		try {
			process.kill(pid!, 'SIGKILL');
		} catch {}
		for (let i = 0; i < 40 && daemonAlive(pid); i++) await new Promise(r => setTimeout(r, 25));
	}
}
