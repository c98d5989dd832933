import {run} from './run.js';
import {OperationError} from '../core/errors.js';

/** Every kernel change goes through `ip -batch -` on stdin: one process per namespace, never a shell. */
export async function ipBatch(namespace: string | undefined, lines: readonly string[], {force = false, program = 'ip' as 'ip' | 'bridge'} = {}): Promise<void> {
	if (lines.length === 0) return;
	const args = [...(namespace ? ['-n', namespace] : []), ...(force ? ['-force'] : []), '-batch', '-'];
	const result = await run(program, args, {input: lines.join('\n') + '\n'});
	if (result.exitCode !== 0 && !(force && alreadyGone(result.stderr))) {
		const m = /Command failed -:(\d+)/.exec(result.stderr);
		const line = m ? lines[Number(m[1]) - 1] : undefined;
		const reason = result.stderr.split('\n').find(l => l && !l.startsWith('Command failed')) ?? result.stderr.trim();
		throw new OperationError(`${program}${namespace ? ` -n ${namespace}` : ''}: ${line ? `'${line}' failed: ` : ''}${reason || `exit ${result.exitCode}`}`);
	}
}

/**
 * With -force (deletions), a line that fails because its object is already gone has done its job: a veth vanishes
 * on its own once its namespace is freed, and another process may have deleted it first.
 */
function alreadyGone(stderr: string): boolean {
	const errors = stderr.split('\n').filter(l => l && !l.startsWith('Command failed'));
	return errors.every(l => /Cannot find device|No such file or directory|No such process|does not exist/.test(l));
}

/** Show commands in one `ip -j -batch -`: one JSON array per command, one per line. */
export async function ipShow(namespace: string | undefined, commands: readonly string[], {details = false} = {}): Promise<unknown[][] | undefined> {
	const args = [...(namespace ? ['-n', namespace] : []), '-j', ...(details ? ['-d'] : []), '-batch', '-'];
	const result = await run('ip', args, {input: commands.join('\n') + '\n'});
	if (result.exitCode !== 0) return undefined;
	const lines = result.stdout.split('\n').filter(l => l.trim().length > 0);
	if (lines.length !== commands.length) return undefined;
	return lines.map(l => JSON.parse(l) as unknown[]);
}
