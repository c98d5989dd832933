import {spawn} from 'node:child_process';

export type RunResult = {exitCode: number; stdout: string; stderr: string; error?: NodeJS.ErrnoException};

/**
 * Runs a program with an argument array (never a shell), feeding stdin. Plain child_process: loading execa costs
 * more start-up time than a whole `status --json` is allowed.
 */
export function run(command: string, args: readonly string[], {input}: {input?: string} = {}): Promise<RunResult> {
	return new Promise(resolve => {
		const child = spawn(command, args, {stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		let failed: NodeJS.ErrnoException | undefined;
		child.stdout!.on('data', (b: Buffer) => out.push(b));
		child.stderr!.on('data', (b: Buffer) => err.push(b));
		child.on('error', e => (failed = e));
		child.on('close', code => {
			resolve({exitCode: code ?? 1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ...(failed ? {error: failed} : {})});
		});
		if (input !== undefined) {
			child.stdin!.on('error', () => {}); // the process may exit before reading everything (a failed batch)
			child.stdin!.end(input);
		}
	});
}
