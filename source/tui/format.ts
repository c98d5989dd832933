// Text the console shows: origins, targets, routing diffs, ages.
import type {RoutingDiff} from '../core/diff.js';
import type {Origin} from '../core/model.js';

export type Tone = 'good' | 'bad' | 'warn' | 'dim' | 'accent';
export type Line = {readonly text: string; readonly tone?: Tone};

export function originKind(o: Origin): string {
	return o.kind;
}

/** Where a route comes from, short: the app (and role), the gateway, or the remote host with its RD and next hop. */
export function originFrom(o: Origin): string {
	if (o.kind === 'local') return `${o.app} (${o.role === 'in' ? 'inbound' : 'outbound'})`;
	if (o.kind === 'imported') return `${o.from}: ${o.app} (${o.role === 'in' ? 'inbound' : 'outbound'})`;
	if (o.kind === 'remote') return `host ${o.host ?? '?'} rd ${o.rd} nh ${o.nexthop}`;
	return `via ${o.via}`;
}

/** The targets that brought the route in; '-' for a local one. */
export function originTargets(o: Origin): string {
	return o.kind === 'local' ? '-' : o.targets.join(', ');
}

export function originText(o: Origin): string {
	if (o.kind === 'local') return `local ${originFrom(o)}`;
	if (o.kind === 'imported') return `from ${o.from} (${o.app}) by ${o.targets.join(', ')}`;
	if (o.kind === 'remote') return `remote from ${o.host ?? 'an unnamed host'} (rd ${o.rd}, next hop ${o.nexthop}, label ${o.label}) by ${o.targets.join(', ')}`;
	return `external via ${o.via} by ${o.targets.join(', ')}`;
}

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
	if (apps.length > 0) {
		lines.push({text: 'apps whose reachability changes:', tone: 'accent'});
		for (const a of apps) {
			const parts = [a.gained.length ? `+${a.gained.length} reachable (${a.gained.slice(0, 3).join(' ')}${a.gained.length > 3 ? ' …' : ''})` : '', a.lost.length ? `-${a.lost.length} unreachable (${a.lost.slice(0, 3).join(' ')}${a.lost.length > 3 ? ' …' : ''})` : '']
				.filter(Boolean)
				.join(', ');
			lines.push({text: `  ${a.app} (${a.role === 'in' ? 'inbound' : 'outbound'} ${a.network}): ${parts}`});
		}
	} else {
		lines.push({text: 'no app changes reachability', tone: 'dim'});
	}
	return lines;
}

export function ago(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	if (s < 60) return `${s}s ago`;
	if (s < 3600) return `${Math.floor(s / 60)}m ago`;
	return `${Math.floor(s / 3600)}h ago`;
}

/** Cuts text to a width with an ellipsis; pads to it when `pad`. */
export function fit(text: string, width: number, pad = true): string {
	if (width <= 0) return '';
	if (text.length > width) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
	return pad ? text.padEnd(width) : text;
}
