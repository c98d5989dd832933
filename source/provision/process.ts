// The daemons nsdeck runs inside app namespaces (bind -- COMMAND). A daemon is tracked by its namespace, not only by
// the pid it was started with: a daemon that forks leaves its parent's pid behind, but its children still live in
// the namespace, and those are what unbind stops and what says "running".
import {spawn} from 'node:child_process';
import {accessSync, closeSync, constants, mkdirSync, openSync, readFileSync, readlinkSync, realpathSync, statSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {OperationError} from '../core/errors.js';

/** Field 22 of /proc/PID/stat: the start time, so a reused PID is never mistaken for ours. */
export function processStart(pid: number): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (fields[0] === 'Z') return undefined; // a zombie is gone: it only waits to be reaped
		return fields[19];
	} catch {
		return undefined;
	}
}

export function isRunning(pid: number | undefined, start: string | undefined): boolean {
	return pid !== undefined && start !== undefined && processStart(pid) === start;
}

/** The network namespace (nsfs inode) a process lives in. */
export function netnsOf(pid: number): number | undefined {
	try {
		const m = /^net:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/ns/net`));
		return m ? Number(m[1]) : undefined;
	} catch {
		return undefined;
	}
}

/** The program a command runs, found as execvp would find it, or why it cannot run. */
export function resolveProgram(program: string, path = process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'): string {
	const check = (file: string): string | undefined => {
		try {
			if (!statSync(file).isFile()) return `'${file}' is not a file`;
			accessSync(file, constants.X_OK);
			return undefined;
		} catch (e) {
			return (e as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file '${file}'` : `'${file}' is not executable`;
		}
	};
	if (program.includes('/')) {
		const why = check(program);
		if (why) throw new OperationError(`cannot start '${program}': ${why}`);
		return program;
	}
	for (const dir of path.split(delimiter).filter(Boolean)) if (!check(join(dir, program))) return join(dir, program);
	throw new OperationError(`cannot start '${program}': not found in PATH`);
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function lastLine(file: string): string {
	try {
		return readFileSync(file, 'utf8').trim().split('\n').at(-1) ?? '';
	} catch {
		return '';
	}
}

/**
 * Starts a daemon inside an app's namespace (`ip netns exec` keeps its PID), detached, output to a log file, and
 * waits until it has really exec'd: a command that cannot start is an error with the reason, not a pid.
 */
export async function startInNamespace(dir: string, app: string, namespace: string, command: readonly string[]): Promise<{pid: number; start: string; log: string}> {
	resolveProgram(command[0]!);
	const logs = join(dir, 'logs');
	mkdirSync(logs, {recursive: true, mode: 0o700});
	const log = join(logs, `${app}.log`);
	const fd = openSync(log, 'a', 0o600);
	const child = spawn('ip', ['netns', 'exec', namespace, ...command], {detached: true, stdio: ['ignore', fd, fd]});
	closeSync(fd);
	let exited: number | null | undefined;
	child.once('exit', code => (exited = code));
	child.unref();
	if (child.pid === undefined) throw new OperationError(`cannot start '${command[0]}' in ${namespace}`);
	const ip = realpathSync(resolveProgram('ip'));
	// `ip netns exec` becomes the command (same pid): once /proc/PID/exe is no longer ip, it has started. A daemon that
	// forks may exit right after (its child lives on in the namespace): that is a start, not a failure.
	let execd = false;
	for (let waited = 0; waited < 3000 && exited === undefined && !execd; waited += 2) {
		try {
			execd = realpathSync(`/proc/${child.pid}/exe`) !== ip;
		} catch {}
		if (!execd) await sleep(2);
	}
	const failed = /exec of .* failed/.exec(lastLine(log));
	if (!execd && (exited === 255 || failed)) {
		throw new OperationError(`cannot start '${command.join(' ')}' in ${namespace}: ${failed ? lastLine(log) : `exited at once (code ${exited})`}`);
	}
	const start = processStart(child.pid) ?? '';
	return {pid: child.pid, start, log};
}

/** SIGTERM to every process given, then SIGKILL to those still there after a grace period. */
export async function stopProcesses(pids: readonly number[], graceMs = 3000): Promise<void> {
	const starts = new Map(pids.map(p => [p, processStart(p)] as const).filter((x): x is [number, string] => x[1] !== undefined));
	const left = () => [...starts].filter(([p, s]) => processStart(p) === s).map(([p]) => p);
	const signal = (sig: NodeJS.Signals) => {
		for (const p of left()) {
			try {
				process.kill(p, sig);
			} catch {}
		}
	};
	signal('SIGTERM');
	for (let waited = 0; waited < graceMs && left().length > 0; waited += 25) await sleep(25);
	signal('SIGKILL');
	for (let waited = 0; waited < 1000 && left().length > 0; waited += 10) await sleep(10);
}
