import type {RoutingDiff} from '../core/diff.js';
import {markOf, type Origin, type TargetEntry} from '../core/model.js';
import type {Plan} from '../dataplane/plan.js';

export function originText(o: Origin): string {
	if (o.kind === 'local') return `local ${o.app} (${o.role === 'in' ? 'inbound' : 'outbound'})`;
	if (o.kind === 'imported') return `from ${o.from} (${o.app}) by ${o.targets.join(',')}`;
	if (o.kind === 'remote') return `remote ${o.host ?? '?'} rd ${o.rd} via ${o.nexthop} by ${o.targets.join(',')}`;
	return `external via ${o.via} by ${o.targets.join(',')}`;
}

export function targetsText(targets: readonly TargetEntry[]): string {
	return targets.map(t => `${t.rt}${markOf(t) === 'IE' ? '' : ` (${markOf(t) === 'I' ? 'import-only' : 'export-only'})`}`).join(', ') || '-';
}

/** A routing diff as an operator reads it: per VRF, + gained and - lost; then the apps it touches. */
export function diffText(diff: RoutingDiff): string {
	if (diff.vrfs.length === 0) return 'no route changes';
	const lines: string[] = [];
	for (const v of diff.vrfs) {
		lines.push(`${v.network}:`);
		for (const r of v.lost) lines.push(`  - ${r.prefix.padEnd(18)} ${originText(r.origin)}`);
		for (const r of v.gained) lines.push(`  + ${r.prefix.padEnd(18)} ${originText(r.origin)}`);
	}
	const apps = diff.apps.filter(a => a.gained.length + a.lost.length > 0);
	if (apps.length > 0) {
		lines.push('apps whose reachability changes:');
		for (const a of apps) {
			const parts = [a.gained.length ? `+${a.gained.length} reachable` : '', a.lost.length ? `-${a.lost.length} unreachable` : ''].filter(Boolean).join(', ');
			lines.push(`  ${a.app} (${a.role === 'in' ? 'inbound' : 'outbound'} ${a.network}): ${parts}`);
		}
	}
	return lines.join('\n');
}

export function planText(plan: Plan): string {
	if (plan.changes.length === 0) return 'in sync: nothing to do';
	return plan.changes.map(c => `${c.op} ${c.what.padEnd(7)} ${c.detail}`).join('\n');
}
