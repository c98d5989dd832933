import {execa} from 'execa';
import {OperationError} from '../core/errors.js';

/** Every kernel change goes through `ip -batch -` on stdin: one process per namespace, never a shell. */
export async function ipBatch(namespace: string | undefined, lines: readonly string[], {force = false} = {}): Promise<void> {
	if (lines.length === 0) return;
	const args = [...(namespace ? ['-n', namespace] : []), ...(force ? ['-force'] : []), '-batch', '-'];
	const result = await execa('ip', args, {input: lines.join('\n') + '\n', reject: false});
	if (result.exitCode !== 0) {
		const m = /Command failed -:(\d+)/.exec(result.stderr);
		const line = m ? lines[Number(m[1]) - 1] : undefined;
		const reason = result.stderr.split('\n').find(l => l && !l.startsWith('Command failed')) ?? result.stderr.trim();
		throw new OperationError(`ip${namespace ? ` -n ${namespace}` : ''}: ${line ? `'${line}' failed: ` : ''}${reason || `exit ${result.exitCode}`}`);
	}
}

/** Show commands in one `ip -j -batch -`: one JSON array per command, one per line. */
export async function ipShow(namespace: string | undefined, commands: readonly string[], {details = false} = {}): Promise<unknown[][] | undefined> {
	const args = [...(namespace ? ['-n', namespace] : []), '-j', ...(details ? ['-d'] : []), '-batch', '-'];
	const result = await execa('ip', args, {input: commands.join('\n') + '\n', reject: false});
	if (result.exitCode !== 0) return undefined;
	const lines = result.stdout.split('\n').filter(l => l.trim().length > 0);
	if (lines.length !== commands.length) return undefined;
	return lines.map(l => JSON.parse(l) as unknown[]);
}
