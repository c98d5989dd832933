// The route-target matrices. One host: a row per network, a column per target with I, E or IE. Several hosts: a row
// per network × target, a column per host, the rows where hosts differ first. Either way the columns are narrow and
// numbered (or named, when names are short) with their full names in a legend, so 30 targets or 30 hosts fit in 100
// columns and the rest scroll sideways behind the pinned columns.
import {markOf} from '../../core/model.js';
import type {Data, HostState} from '../data.js';
import {natural, table, type Table} from './table.js';

/** Every target any network has, automatic ones first, as matrix columns. */
export function targetColumns(d: Data): string[] {
	const auto = new Set<string>();
	const all = new Set<string>();
	for (const n of d.snap.networks) for (const t of n.targets) (t.auto ? auto : all).add(t.rt);
	return [...[...auto].sort(natural), ...[...all].filter(t => !auto.has(t)).sort(natural)];
}

/** Headers of the scrolling columns: the names themselves when all are short, else 1, 2, 3... */
function headers(names: readonly string[]): string[] {
	return names.every(n => n.length <= 4) ? [...names] : names.map((_, i) => String(i + 1));
}

function singleHost(d: Data): Table {
	const rts = targetColumns(d);
	const nets = [...d.snap.networks].sort((a, b) => natural(a.name, b.name));
	return table(
		['NETWORK', ...headers(rts)],
		nets.map(n => {
			const by = new Map(n.targets.map(t => [t.rt as string, t]));
			return {key: n.name, ref: {kind: 'network', network: n.name}, cells: [n.name, ...rts.map(rt => (by.has(rt) ? markOf(by.get(rt)!) : '·'))]};
		}),
		{pinned: 1, legend: rts},
	);
}

const HOST_PINNED = ['NETWORK', 'TARGET', 'HOSTS'];

/** Several hosts: one row per network × target, one column per host, rows where the hosts differ first. */
function byHost(hosts: readonly HostState[]): Table {
	const marks = hosts.map(h => new Map((h.snap?.networks ?? []).map(n => [n.name, new Map(n.targets.map(t => [t.rt as string, markOf(t)]))])));
	const rows = new Map<string, {network: string; rt: string; auto: boolean}>();
	for (const h of hosts) for (const n of h.snap?.networks ?? []) for (const t of n.targets) {
		const key = `${n.name} ${t.rt}`;
		if (!rows.has(key) || t.auto) rows.set(key, {network: n.name, rt: t.rt, auto: t.auto});
	}
	const built = [...rows.values()].map(r => {
		const cells = hosts.map((h, i) => (h.pending ? '…' : !h.snap ? '?' : (marks[i]!.get(r.network)?.get(r.rt) ?? '·')));
		const known = cells.filter(c => c !== '?' && c !== '…');
		const differ = new Set(known).size > 1;
		return {r, cells, differ, state: differ ? '≠ differ' : known.length < cells.length ? '? unknown' : 'same'};
	});
	built.sort((a, b) => Number(b.differ) - Number(a.differ) || natural(a.r.network, b.r.network) || Number(b.r.auto) - Number(a.r.auto) || natural(a.r.rt, b.r.rt));
	const names = hosts.map(h => (h.current ? `*${h.ref.name}` : h.ref.name));
	return table(
		[...HOST_PINNED, ...headers(names)],
		built.map(x => ({
			key: `${x.r.network} ${x.r.rt}`,
			ref: {kind: 'target', network: x.r.network, rt: x.r.rt},
			cells: [x.r.network, x.r.rt, x.state, ...x.cells],
			...(x.differ ? {tone: 'warn' as const} : {}),
		})),
		{pinned: HOST_PINNED.length, legend: names},
	);
}

export function targetsTable(d: Data): Table {
	return d.hosts && d.hosts.length > 1 ? byHost(d.hosts) : singleHost(d);
}
