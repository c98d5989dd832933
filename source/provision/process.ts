import {spawn} from 'node:child_process';
import {mkdirSync, openSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {OperationError} from '../core/errors.js';

/** Field 22 of /proc/PID/stat: the start time, so a reused PID is never mistaken for ours. */
export function processStart(pid: number): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

export function isRunning(pid: number | undefined, start: string | undefined): boolean {
	return pid !== undefined && start !== undefined && processStart(pid) === start;
}

/** Starts a daemon inside the app's namespace (`ip netns exec` keeps its PID), detached, output to a log file. */
export function startInNamespace(dir: string, app: string, namespace: string, command: readonly string[]): {pid: number; start: string; log: string} {
	const logs = join(dir, 'logs');
	mkdirSync(logs, {recursive: true, mode: 0o700});
	const log = join(logs, `${app}.log`);
	const fd = openSync(log, 'a', 0o600);
	const child = spawn('ip', ['netns', 'exec', namespace, ...command], {detached: true, stdio: ['ignore', fd, fd]});
	child.unref();
	if (child.pid === undefined) throw new OperationError(`could not start ${command[0]}`);
	const start = processStart(child.pid);
	if (!start) throw new OperationError(`${command[0]} exited at once; see ${log}`);
	return {pid: child.pid, start, log};
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL after a grace period; only if the PID is still the process we started. */
export async function stopProcess(pid: number | undefined, start: string | undefined, graceMs = 3000): Promise<void> {
	if (!isRunning(pid, start)) return;
	process.kill(pid!, 'SIGTERM');
	for (let waited = 0; waited < graceMs; waited += 50) {
		if (!isRunning(pid, start)) return;
		await sleep(50);
	}
	if (isRunning(pid, start)) process.kill(pid!, 'SIGKILL');
}
