// The words nsdeck uses for routes, targets, roles and routing diffs: one module, so the CLI, the console and the
// agent say the same thing the same way. Lines carry a tone (what the console colours), never a colour.
import type {RoutingDiff} from '../core/diff.js';
import {markOf, type Origin, type Role, type TargetEntry} from '../core/model.js';

export type Tone = 'good' | 'bad' | 'warn' | 'dim' | 'accent';
export type Line = {readonly text: string; readonly tone?: Tone};

export function roleName(role: Role): 'inbound' | 'outbound' {
	return role === 'in' ? 'inbound' : 'outbound';
}

export function originKind(o: Origin): string {
	return o.kind;
}

/** Who announced a remote route: `host h2`, `gateway gw1`, `router 192.0.2.7` (an unknown one, by originator). */
export function speakerText(o: Extract<Origin, {kind: 'remote'}>): string {
	return o.by ? `${o.by.kind} ${o.by.name}` : `host ${o.host ?? '?'}`;
}

/** Where a route comes from, short: the app (and role), the gateway, or the remote host with its RD and next hop. */
export function originFrom(o: Origin): string {
	if (o.kind === 'local') return `${o.app} (${roleName(o.role)})`;
	if (o.kind === 'imported') return `${o.from}: ${o.app} (${roleName(o.role)})`;
	if (o.kind === 'remote') return `${speakerText(o)} rd ${o.rd} nh ${o.nexthop}`;
	return `via ${o.via}`;
}

/** A remote route's label and the VNI it stands for, or why it has none. */
export function labelText(o: Extract<Origin, {kind: 'remote'}>): string {
	if (o.unusable) return `label ${o.label}, no VNI`;
	return o.vni === undefined || o.vni === o.label ? `label ${o.label}` : `label ${o.label} = VNI ${o.vni}`;
}

/** The targets that brought the route in; '-' for a local one. */
export function originTargets(o: Origin): string {
	return o.kind === 'local' ? '-' : o.targets.join(', ');
}

/** One origin in a sentence. */
export function originText(o: Origin): string {
	if (o.kind === 'local') return `local ${originFrom(o)}`;
	if (o.kind === 'imported') return `from ${o.from} (${o.app}) by ${o.targets.join(', ')}`;
	if (o.kind === 'remote') return `remote from ${speakerText(o)} (rd ${o.rd}, next hop ${o.nexthop}, ${labelText(o)}) by ${o.targets.join(', ')}${o.unusable ? ` (not installed: ${o.unusable})` : ''}`;
	return `external via ${o.via} by ${o.targets.join(', ')}`;
}

/** A network's targets, long form, with import-only / export-only said. */
export function targetsText(targets: readonly TargetEntry[]): string {
	return targets.map(t => `${t.rt}${markOf(t) === 'IE' ? '' : ` (${markOf(t) === 'I' ? 'import-only' : 'export-only'})`}`).join(', ') || '-';
}

const some = (list: readonly string[]) => `${list.slice(0, 3).join(' ')}${list.length > 3 ? ' …' : ''}`;

/** A routing diff as lines: per VRF the routes lost (-) and gained (+), then the apps whose reachability changes. */
export function diffLines(diff: RoutingDiff): Line[] {
	if (diff.vrfs.length === 0) return [{text: 'no route changes in any VRF', tone: 'dim'}];
	const lines: Line[] = [];
	for (const v of diff.vrfs) {
		lines.push({text: `VRF ${v.network}: +${v.gained.length} -${v.lost.length}`, tone: 'accent'});
		for (const r of v.lost) lines.push({text: `  - ${r.prefix.padEnd(18)} ${originText(r.origin)}`, tone: 'bad'});
		for (const r of v.gained) lines.push({text: `  + ${r.prefix.padEnd(18)} ${originText(r.origin)}`, tone: 'good'});
	}
	const apps = diff.apps.filter(a => a.gained.length + a.lost.length > 0);
	if (apps.length === 0) return [...lines, {text: 'no app changes reachability', tone: 'dim'}];
	lines.push({text: 'apps whose reachability changes:', tone: 'accent'});
	for (const a of apps) {
		const parts = [a.gained.length ? `+${a.gained.length} reachable (${some(a.gained)})` : '', a.lost.length ? `-${a.lost.length} unreachable (${some(a.lost)})` : ''].filter(Boolean).join(', ');
		lines.push({text: `  ${a.app} (${roleName(a.role)} ${a.network}): ${parts}`});
	}
	return lines;
}

/** The same diff as plain text (the CLI). */
export function diffText(diff: RoutingDiff): string {
	return diffLines(diff).map(l => l.text).join('\n');
}
