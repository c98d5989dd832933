// The lines above a drill-down's table: an app's namespace (its interfaces aligned, whatever the length of a peer's
// name), or a network's VRF (every target, wrapped, and the drift the core sees in it).
import type {Line} from '../../provision/text.js';
import {roleName, targetsText} from '../../provision/text.js';
import type {Data} from '../data.js';
import {driftIn, driftText} from '../views/trust.js';
import type {ViewRef} from '../views.js';
import {wrapList} from './text.js';

function columns(rows: readonly string[][]): string[] {
	const w = rows.reduce<number[]>((acc, r) => r.map((c, i) => Math.max(acc[i] ?? 0, c.length)), []);
	return rows.map(r => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  '));
}

function appLines(d: Data, name: string | undefined): Line[] {
	const a = d.snap.apps.find(x => x.name === name);
	if (!a) return [{text: `no app '${name}' (unbound?)`, tone: 'dim'}];
	const detail = d.app?.name === name ? d.app : undefined;
	const def = detail?.routes.find(r => r.dst === 'default');
	const head: Line = {
		text: `${a.namespace} (${a.kind})  default via ${a.defaultVia}${def ? ` [${def.via ?? ''} dev ${def.dev ?? ''}]` : ''}  process ${a.process ? `${a.process.pid} ${a.process.running ? 'running' : 'gone'}` : '-'}  ${a.drift.length ? `drift: ${a.drift.join('; ')}` : 'in sync'}`,
		...(a.drift.length ? {tone: 'bad' as const} : {}),
	};
	const rows = detail
		? detail.ifaces.map(i => [i.name, i.state, i.addresses.join(',') || '-', `peer ${i.peer || '-'}`, `rp_filter ${i.rpFilter || '-'}`])
		: a.ifaces.map(i => [i.inner, i.address, `${i.network} (${roleName(i.role)})`]);
	return [head, ...columns(rows).map(text => ({text: `  ${text}`}))];
}

function netLines(d: Data, name: string | undefined, width: number): Line[] {
	const n = d.snap.networks.find(x => x.name === name);
	if (!n) return [];
	const lines: Line[] = [{text: `${n.name}  ${n.subnet ?? 'no subnet yet'}  table ${n.table}  VNI ${n.vni}  ${n.used} used, ${n.free} free  apps ${n.apps.join(', ') || '-'}`}];
	lines.push(...wrapList('targets: ', targetsText(n.targets).split(', '), width - 4).map(text => ({text, tone: 'dim' as const})));
	const drift = driftIn(d.snap, n.name);
	if (drift.length > 0) lines.push({text: `drift in this VRF (${drift.length}): ${drift.slice(0, 3).map(driftText).join('; ')}${drift.length > 3 ? ' …' : ''}`, tone: 'bad'});
	return lines;
}

/** The detail lines of a view (none for most). */
export function detailLines(view: ViewRef, d: Data | undefined, width: number): Line[] {
	if (!d) return [];
	if (view.id === 'app') return appLines(d, view.arg);
	if (view.id === 'routes') return netLines(d, view.arg, width);
	return [];
}
