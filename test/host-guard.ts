// The host guard: the root namespace's routes (every table, IPv4 and IPv6), rules and addresses, read before the
// whole suite and again after it, must be byte-for-byte the same. nsdeck must never change them, and neither may a
// test. Only what the kernel counts down by itself (address and route lifetimes) is left out.
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';

const READS: ReadonlyArray<readonly string[]> = [
	['-4', 'route', 'show', 'table', 'all'],
	['-6', 'route', 'show', 'table', 'all'],
	['-4', 'rule', 'show'],
	['-6', 'rule', 'show'],
	['-o', 'addr', 'show'],
];

function read(args: readonly string[]): string {
	const r = spawnSync('ip', args, {encoding: 'utf8'});
	if (r.status !== 0) return `(ip ${args.join(' ')} failed: ${r.stderr.trim()})`;
	return r.stdout.replace(/ (valid_lft|preferred_lft) \S+/g, '').replace(/ expires \d+sec/g, '');
}

export type HostView = Record<string, string>;

export function hostView(): HostView {
	return Object.fromEntries(READS.map(a => [`ip ${a.join(' ')}`, read(a)]));
}

/** What changed, as `- line` / `+ line` under the command that shows it; empty when nothing did. */
export function hostDiff(before: HostView, after: HostView): string[] {
	const out: string[] = [];
	for (const [cmd, was] of Object.entries(before)) {
		const now = after[cmd] ?? '';
		if (now === was) continue;
		const a = was.split('\n');
		const b = now.split('\n');
		out.push(`${cmd}:`, ...a.filter(l => !b.includes(l)).map(l => `  - ${l}`), ...b.filter(l => !a.includes(l)).map(l => `  + ${l}`));
		if (a.length === b.length && a.every(l => b.includes(l))) out.push('  (same lines, different order)');
	}
	return out;
}

/**
 * The guard for vitest's globalSetup: returns the check to run at teardown. A violation throws (vitest fails the
 * run) and, when NSDECK_HOST_GUARD names a file, is written there so scripts/test.mjs counts it in the closing line.
 */
export function guardHost(): () => void {
	const before = hostView();
	return () => {
		const diff = hostDiff(before, hostView());
		const report = process.env.NSDECK_HOST_GUARD;
		if (report) writeFileSync(report, JSON.stringify({ok: diff.length === 0, diff}));
		if (diff.length > 0) throw new Error(`the root namespace's routes, rules or addresses changed during the run:\n${diff.join('\n')}`);
	};
}
