// The views as tables: columns, and one row (with a stable key) per thing shown. Built once per refresh and per
// view; the console then renders only the rows that fit the screen.
import {markOf} from '../core/model.js';
import type {Data, HostState} from './data.js';
import {originFrom, originKind, originTargets, type Tone} from '../provision/text.js';

export type ViewId = 'apps' | 'nets' | 'routes' | 'targets' | 'ifaces' | 'log' | 'hosts' | 'app';
export type ViewRef = {readonly id: ViewId; readonly arg?: string};

export type Row = {readonly key: string; readonly cells: readonly string[]; readonly tone?: Tone};
export type Table = {readonly columns: readonly string[]; readonly rows: readonly Row[]; readonly widths: readonly number[]};

/** Number keys and `:` names of the top-level views, in order. */
export const TOP_VIEWS: ReadonlyArray<{readonly id: Exclude<ViewId, 'app'>; readonly key: string; readonly name: string; readonly aliases: readonly string[]}> = [
	{id: 'apps', key: '1', name: 'apps', aliases: ['app', 'a']},
	{id: 'nets', key: '2', name: 'nets', aliases: ['net', 'networks', 'network', 'n']},
	{id: 'routes', key: '3', name: 'routes', aliases: ['route', 'rt', 'vrf']},
	{id: 'targets', key: '4', name: 'targets', aliases: ['target', 'rts', 't']},
	{id: 'ifaces', key: '5', name: 'ifaces', aliases: ['iface', 'interfaces', 'if', 'i']},
	{id: 'log', key: '6', name: 'log', aliases: ['audit', 'l']},
	{id: 'hosts', key: '7', name: 'hosts', aliases: ['contexts', 'ctxs']},
];

export function viewTitle(v: ViewRef): string {
	if (v.id === 'routes') return `routes(${v.arg ?? '-'})`;
	if (v.id === 'app') return `app(${v.arg ?? '-'})`;
	return v.id;
}

const MAX_COL = 48;

/** Column widths over every row (not just the visible ones), so scrolling and filtering never shift columns. */
export function widthsOf(columns: readonly string[], rows: readonly Row[]): number[] {
	const w = columns.map(c => c.length);
	for (const r of rows) {
		for (let i = 0; i < r.cells.length; i++) {
			const n = r.cells[i]!.length;
			if (n > w[i]!) w[i] = n;
		}
	}
	return w.map(x => Math.min(x, MAX_COL));
}

function table(columns: readonly string[], rows: readonly Row[]): Table {
	return {columns, rows, widths: widthsOf(columns, rows)};
}

function appsTable(d: Data): Table {
	return table(
		['APP', 'NAMESPACE', 'INBOUND', 'IN-ADDR', 'OUTBOUND', 'OUT-ADDR', 'DEFAULT-VIA', 'PROCESS', 'DRIFT'],
		d.snap.apps.map(a => {
			const inn = a.ifaces.find(i => i.role === 'in');
			const out = a.ifaces.find(i => i.role === 'out');
			const proc = a.process ? `${a.process.pid} ${a.process.running ? 'running' : 'gone'}` : '-';
			const drift = a.drift.length === 0 ? 'ok' : `! ${a.drift[0]}${a.drift.length > 1 ? ` (+${a.drift.length - 1})` : ''}`;
			return {
				key: a.name,
				cells: [a.name, a.namespace, inn?.network ?? '-', inn?.address ?? '-', out?.network ?? '-', out?.address ?? '-', a.defaultVia, proc, drift],
				...(a.drift.length > 0 ? {tone: 'bad' as const} : a.process && !a.process.running ? {tone: 'warn' as const} : {}),
			};
		}),
	);
}

function netsTable(d: Data): Table {
	return table(
		['NETWORK', 'SUBNET', 'TABLE', 'USED', 'FREE', 'IMPORT', 'EXPORT', 'APPS'],
		d.snap.networks.map(n => ({
			key: n.name,
			cells: [
				n.name,
				n.subnet ?? '-',
				n.table,
				String(n.used),
				String(n.free),
				n.targets.filter(t => t.import).map(t => t.rt + (t.export ? '' : '(i)')).join(', ') || '-',
				n.targets.filter(t => t.export).map(t => t.rt + (t.import ? '' : '(e)')).join(', ') || '-',
				n.apps.join(', ') || '-',
			],
		})),
	);
}

function installedText(x: boolean | null): string {
	return x === null ? '?' : x ? 'yes' : 'NO';
}

function routesTable(d: Data, network: string | undefined): Table {
	return table(
		['PREFIX', 'ORIGIN', 'FROM', 'TARGET', 'INSTALLED'],
		d.snap.routes
			.filter(r => r.network === network)
			.map(r => ({
				key: r.prefix,
				cells: [r.prefix, originKind(r.origin), originFrom(r.origin), originTargets(r.origin), installedText(r.installed)],
				...(r.installed === false ? {tone: 'bad' as const} : r.origin.kind === 'local' ? {} : {tone: 'dim' as const}),
			})),
	);
}

/** Every target any network has, automatic ones first, as matrix columns. */
export function targetColumns(d: Data): string[] {
	const auto = new Set<string>();
	const all = new Set<string>();
	for (const n of d.snap.networks) for (const t of n.targets) (t.auto ? auto : all).add(t.rt);
	return [...[...auto].sort(), ...[...all].filter(t => !auto.has(t)).sort()];
}

/** Several hosts: one row per network × target, one column per host, rows where the hosts differ marked ≠. */
function targetsByHost(d: Data, hosts: readonly HostState[]): Table {
	const byHost = hosts.map(h => new Map((h.snap?.networks ?? []).map(n => [n.name, new Map(n.targets.map(t => [t.rt as string, t]))])));
	const rows = new Map<string, {network: string; rt: string; auto: boolean}>();
	for (const h of hosts) for (const n of h.snap?.networks ?? []) for (const t of n.targets) {
		const key = `${n.name} ${t.rt}`;
		if (!rows.has(key) || t.auto) rows.set(key, {network: n.name, rt: t.rt, auto: t.auto});
	}
	const sorted = [...rows.values()].sort((a, b) => a.network.localeCompare(b.network) || Number(b.auto) - Number(a.auto) || a.rt.localeCompare(b.rt));
	return table(
		['NETWORK', 'TARGET', ...hosts.map(h => (h.current ? `*${h.ref.name}` : h.ref.name)), 'HOSTS'],
		sorted.map(r => {
			const cells = hosts.map((h, i) => {
				if (h.pending) return '…';
				if (!h.snap) return '?';
				const t = byHost[i]!.get(r.network)?.get(r.rt);
				return t ? markOf(t) : '·';
			});
			const known = cells.filter(c => c !== '?' && c !== '…');
			const differ = new Set(known).size > 1;
			return {key: `${r.network} ${r.rt}`, cells: [r.network, r.rt, ...cells, differ ? '≠ differ' : known.length < cells.length ? '? unknown' : 'same'], ...(differ ? {tone: 'warn' as const} : {})};
		}),
	);
}

function hostsTable(d: Data): Table {
	const hosts = d.hosts ?? [];
	return table(
		['', 'HOST', 'API', 'STATE', 'CONTROLLER', 'BGP', 'NETS', 'APPS', 'ROUTES', 'REMOTE'],
		hosts.map(h => {
			const s = h.snap;
			// the API column already names the host and its address: the state says only why
			const why = (h.error ?? 'unreachable').replace(`host ${h.ref.name} `, '').replace(` (${h.ref.url}: `, ' (');
			const state = h.pending ? '…' : s ? (h.ref.local ? 'this host' : 'reachable') : why;
			const count = (n: number | undefined) => (s && n !== undefined ? String(n) : '-');
			return {
				key: h.ref.name,
				cells: [h.current ? '*' : ' ', h.ref.name, h.ref.local ? '(in process)' : h.ref.url!, state, s?.controller ?? '-', h.gobgp === undefined || h.gobgp === null ? '-' : h.gobgp ? 'up' : 'down', count(s?.networks.length), count(s?.apps.length), count(s?.routes.length), count(s?.overlay?.remoteRoutes)],
				...(!s && !h.pending ? {tone: 'bad' as const} : h.current ? {tone: 'accent' as const} : {}),
			};
		}),
	);
}

function targetsTable(d: Data): Table {
	if (d.hosts && d.hosts.length > 1) return targetsByHost(d, d.hosts);
	const rts = targetColumns(d);
	return table(
		['NETWORK', ...rts],
		d.snap.networks.map(n => {
			const by = new Map(n.targets.map(t => [t.rt as string, t]));
			return {key: n.name, cells: [n.name, ...rts.map(rt => (by.has(rt) ? markOf(by.get(rt)!) : '·'))]};
		}),
	);
}

function ifacesTable(d: Data): Table {
	return table(
		['NAMESPACE', 'APP', 'IFACE', 'STATE', 'ADDRESSES', 'PEER', 'RP_FILTER'],
		(d.ifaces ?? []).map(i => ({
			key: `${i.namespace}/${i.name}`,
			cells: [i.namespace, i.app ?? '(vrouter)', i.name, i.state, i.addresses.join(', ') || '-', i.peer || '-', i.rpFilter || '-'],
			...(i.state === 'DOWN' && i.name !== 'lo' ? {tone: 'bad' as const} : {}),
		})),
	);
}

function logTable(d: Data): Table {
	return table(
		['ID', 'TIME', 'USER', 'OP', 'ARGS', 'RESULT', 'DETAIL'],
		d.log.map(e => ({
			key: String(e.id),
			cells: [String(e.id), e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), e.user, e.op, e.args, e.result, e.detail ?? ''],
			...(e.result === 'error' ? {tone: 'bad' as const} : e.result === 'pending' ? {tone: 'warn' as const} : {}),
		})),
	);
}

/** One app's drill-down: the routes of every VRF it sits in (what it can reach, and how). */
function appTable(d: Data, app: string | undefined): Table {
	const a = d.snap.apps.find(x => x.name === app);
	const nets = new Map((a?.ifaces ?? []).map(i => [i.network, i.role]));
	return table(
		['VRF', 'ROLE', 'PREFIX', 'ORIGIN', 'FROM', 'TARGET', 'INSTALLED'],
		d.snap.routes
			.filter(r => nets.has(r.network))
			.map(r => ({
				key: `${r.network} ${r.prefix}`,
				cells: [r.network, nets.get(r.network) === 'in' ? 'inbound' : 'outbound', r.prefix, originKind(r.origin), originFrom(r.origin), originTargets(r.origin), installedText(r.installed)],
				...(r.installed === false ? {tone: 'bad' as const} : {}),
			})),
	);
}

const cache = new WeakMap<Data, Map<string, Table>>();

/** The table of a view over one read of the host; computed once per read. */
export function tableFor(view: ViewRef, d: Data): Table {
	let byView = cache.get(d);
	if (!byView) cache.set(d, (byView = new Map()));
	const k = `${view.id}\0${view.arg ?? ''}`;
	let t = byView.get(k);
	if (!t) {
		if (view.id === 'apps') t = appsTable(d);
		else if (view.id === 'nets') t = netsTable(d);
		else if (view.id === 'routes') t = routesTable(d, view.arg);
		else if (view.id === 'targets') t = targetsTable(d);
		else if (view.id === 'ifaces') t = ifacesTable(d);
		else if (view.id === 'log') t = logTable(d);
		else if (view.id === 'hosts') t = hostsTable(d);
		else t = appTable(d, view.arg);
		byView.set(k, t);
	}
	return t;
}

export type Filtered = {readonly table: Table; readonly rows: readonly Row[]; readonly index: ReadonlyMap<string, number>};

const filtered = new WeakMap<Table, Map<string, Filtered>>();

/** Rows whose text contains the filter (case-insensitive), with a key → position index; cached per table and filter. */
export function filterRows(t: Table, filter: string): Filtered {
	let byFilter = filtered.get(t);
	if (!byFilter) filtered.set(t, (byFilter = new Map()));
	let f = byFilter.get(filter);
	if (!f) {
		const needle = filter.toLowerCase();
		const rows = needle === '' ? t.rows : t.rows.filter(r => r.cells.some(c => c.toLowerCase().includes(needle)));
		f = {table: t, rows, index: new Map(rows.map((r, i) => [r.key, i]))};
		if (byFilter.size > 32) byFilter.clear();
		byFilter.set(filter, f);
	}
	return f;
}
