// The registry of views: each declares its id, its number key and `:` names, what its argument is (and where it
// completes from), the table builder, the data it needs beyond the snapshot, and what Enter does there. The keys
// that act in a view are declared in bindings.ts; dispatch, footer, help and the README's tables read both.
import type {Data, Need} from './data.js';
import {appTable} from './views/app.js';
import {appsTable} from './views/apps.js';
import {hostsTable} from './views/hosts.js';
import {ifacesTable} from './views/ifaces.js';
import {logTable} from './views/log.js';
import {netsTable} from './views/nets.js';
import {routesTable} from './views/routes.js';
import {natural, type Table} from './views/table.js';
import {targetsTable} from './views/targets.js';

export {widthsOf, type Row, type ViewRow, type Ref, type Table} from './views/table.js';

export type ViewId = 'apps' | 'nets' | 'routes' | 'targets' | 'ifaces' | 'log' | 'hosts' | 'app';
export type ViewRef = {readonly id: ViewId; readonly arg?: string};

export type ViewDef = {
	readonly id: ViewId;
	/** the number key that opens it (top-level views) */
	readonly key?: string;
	/** its `:` name and the other names `:` accepts */
	readonly name: string;
	readonly aliases: readonly string[];
	/** the argument `:NAME ARG` takes, and where it completes from */
	readonly arg?: {readonly label: 'NET' | 'APP'; readonly pool: (d: Data) => string[]};
	readonly summary: string;
	/** what Enter does on a row */
	readonly enter: string;
	readonly build: (d: Data, arg?: string) => Table;
	/** what it needs read besides the snapshot and the log */
	readonly need?: (arg: string | undefined) => Omit<Need, 'ifaces'> & {ifaces?: boolean};
};

const networks = (d: Data) => d.snap.networks.map(n => n.name).sort(natural);
const apps = (d: Data) => d.snap.apps.map(a => a.name).sort(natural);

export const VIEWS: readonly ViewDef[] = [
	{id: 'apps', key: '1', name: 'apps', aliases: ['a'], summary: 'namespace, addresses, default route, process, drift', enter: 'the app: its interfaces and the routes it sees', build: appsTable},
	{id: 'nets', key: '2', name: 'nets', aliases: ['net', 'networks', 'network', 'n'], summary: 'subnet, table, addresses, targets, apps', enter: 'the network\'s routes', build: netsTable},
	{id: 'routes', key: '3', name: 'routes', aliases: ['route', 'rt', 'vrf'], arg: {label: 'NET', pool: networks}, summary: 'one VRF: origin, target, installed; stray, foreign', enter: 'why the VRF holds the route', build: routesTable},
	{id: 'targets', key: '4', name: 'targets', aliases: ['target', 'rts', 't'], summary: 'networks × targets (I E IE); × hosts with several', enter: 'the network\'s routes', build: targetsTable, need: () => ({peers: true})},
	{id: 'ifaces', key: '5', name: 'ifaces', aliases: ['iface', 'interfaces', 'if', 'i'], summary: 'interfaces: state, peer, rp_filter, foreign', enter: 'the app owning the interface', build: ifacesTable, need: () => ({ifaces: true})},
	{id: 'log', key: '6', name: 'log', aliases: ['audit', 'l'], summary: 'audit log, newest first', enter: 'the entry in full', build: logTable},
	{id: 'hosts', key: '7', name: 'hosts', aliases: ['contexts', 'ctxs'], summary: 'hosts: reachable, controller, BGP, counts', enter: 'switch to the host', build: hostsTable, need: () => ({peers: true})},
	{id: 'app', name: 'app', aliases: [], arg: {label: 'APP', pool: apps}, summary: 'one app: its namespace and the routes of its VRFs', enter: 'why the VRF holds the route', build: appTable, need: arg => (arg ? {app: arg} : {})},
];

export const VIEW = Object.fromEntries(VIEWS.map(v => [v.id, v])) as Record<ViewId, ViewDef>;

/** The top-level views: those with a number key (`--view`, the settings and shell completion offer these). */
export const TOP_VIEWS = VIEWS.filter(v => v.key);

/** The view `:word` names, if any. */
export function viewNamed(word: string): ViewDef | undefined {
	const w = word.toLowerCase();
	return VIEWS.find(v => v.name === w || v.aliases.includes(w));
}

export function viewTitle(v: ViewRef): string {
	return VIEW[v.id].arg ? `${v.id}(${v.arg ?? '-'})` : v.id;
}

const cache = new WeakMap<Data, Map<string, Table>>();

/** The table of a view over one read of the host; computed once per read. */
export function tableFor(view: ViewRef, d: Data): Table {
	let byView = cache.get(d);
	if (!byView) cache.set(d, (byView = new Map()));
	const k = `${view.id}\0${view.arg ?? ''}`;
	let t = byView.get(k);
	if (!t) byView.set(k, (t = VIEW[view.id].build(d, view.arg)));
	return t;
}
