// A host in memory for pure console tests (no root, no kernel): networks, targets, apps and external routes held in
// plain objects, resolved by the real core (resolver, diff, explain), so previews and routes are what the console
// would see on a host; every change is recorded in `applied` for the tests to check.
import type {RoutingDiff} from '../../source/core/diff.js';
import {diffModels} from '../../source/core/diff.js';
import {UsageError} from '../../source/core/errors.js';
import {explainRoute} from '../../source/core/explain.js';
import {formatIpv4, inPool, nextFree, parseIpv4, parsePrefix, parseSubnet, poolRange, prefixesOverlap} from '../../source/core/ipv4.js';
import {membership, type ExternalRoute, type RoutingModel, type TargetEntry} from '../../source/core/model.js';
import {checkName} from '../../source/core/names.js';
import {resolve} from '../../source/core/resolver.js';
import {autoRouteTarget, parseRouteTarget, type RouteTarget} from '../../source/core/rt.js';
import type {Snapshot} from '../../source/provision/snapshot.js';
import type {TargetEdit} from '../../source/provision/targets.js';
import type {Backend, BindRequest, CreateNetwork, HostRef, NetworkPreview, Ping} from '../../source/tui/backend.js';
import type {AuditEntry, Data, Need} from '../../source/tui/data.js';
import {peerFromSnapshot} from '../../source/tui/peer.js';
import type {DriftItem, ForeignItem} from '../../source/tui/views/trust.js';

type Net = {id: number; name: string; subnet: string; targets: TargetEntry[]};
type App = {name: string; ifaces: Array<{role: 'in' | 'out'; network: string; address: string}>; pid?: number};
export type World = {networks: Net[]; apps: App[]; externals: ExternalRoute[]; log: AuditEntry[]; nextId: number; drift?: DriftItem[]; foreign?: ForeignItem[]; appDrift?: Record<string, string[]>};

const bad = (text: string): never => {
	throw new UsageError(text);
};

export function emptyWorld(): World {
	return {networks: [], apps: [], externals: [], log: [], nextId: 1};
}

/** A world with networks (name → subnet), their automatic targets, and apps (name → inbound[, outbound]). */
export function world(nets: Record<string, string>, apps: Record<string, string | [string, string]> = {}): World {
	const w = emptyWorld();
	for (const [name, subnet] of Object.entries(nets)) addNet(w, name, subnet);
	for (const [name, on] of Object.entries(apps)) {
		const [inn, out] = typeof on === 'string' ? [on, undefined] : on;
		w.apps.push({name, ifaces: [{role: 'in', network: inn, address: lease(w, inn)}, ...(out ? [{role: 'out' as const, network: out, address: lease(w, out)}] : [])]});
	}
	return w;
}

function addNet(w: World, name: string, subnet: string, extra: readonly string[] = []): Net {
	const id = w.nextId++;
	const n: Net = {id, name, subnet, targets: [{rt: autoRouteTarget(id), auto: true, ...membership('both')}, ...extra.map(t => ({rt: parseRouteTarget(t), auto: false, ...membership('both')}))]};
	w.networks.push(n);
	return n;
}

function lease(w: World, network: string, wanted?: string): string {
	const n = w.networks.find(x => x.name === network) ?? bad(`unknown network '${network}'`);
	const used = new Set(w.apps.flatMap(a => a.ifaces.filter(i => i.network === network).map(i => parseIpv4(i.address))));
	if (wanted) {
		const ip = parseIpv4(wanted);
		if (!inPool(parsePrefix(n.subnet), ip)) bad(`address ${wanted} is not in the pool of '${network}'`);
		if (used.has(ip)) bad(`address ${wanted} is already leased in '${network}'`);
		return wanted;
	}
	return formatIpv4(nextFree(parsePrefix(n.subnet), used) ?? bad(`network '${network}' has no free address left`));
}

export function model(w: World): RoutingModel {
	return {networks: w.networks.map(n => ({name: n.name, targets: n.targets, subnet: n.subnet})), locals: w.apps.flatMap(a => a.ifaces.map(i => ({prefix: `${i.address}/32`, network: i.network, app: a.name, role: i.role}))), externals: w.externals};
}

const clone = (w: World): World => structuredClone(w);

export function snapshotOf(w: World, host = 'mem', prefix = 'm-'): Snapshot {
	const routes = resolve(model(w));
	return {
		host, controller: 'local', prefix, vrouter: `${prefix}nsdeck-vr`, takenAt: new Date(0).toISOString(), kernelRead: true,
		networks: w.networks.map(n => ({
			name: n.name, subnet: n.subnet, vni: 4000 + n.id, block: n.subnet, table: String(1000 + n.id), targets: n.targets,
			apps: w.apps.filter(a => a.ifaces.some(i => i.network === n.name)).map(a => a.name),
			used: w.apps.reduce((c, a) => c + a.ifaces.filter(i => i.network === n.name).length, 0),
			free: poolRange(parsePrefix(n.subnet)).size - w.apps.reduce((c, a) => c + a.ifaces.filter(i => i.network === n.name).length, 0),
		})),
		apps: w.apps.map(a => ({
			name: a.name, namespace: `${prefix}ns-${a.name}`, kind: 'netns' as const,
			ifaces: a.ifaces.map(i => ({...i, inner: i.role === 'in' ? 'veth0' : 'veth1', hostIf: `${prefix}v${i.role === 'in' ? 'i' : 'o'}-${a.name}`, hostUp: true})),
			defaultVia: (a.ifaces.find(i => i.role === 'out') ?? a.ifaces[0]!).network,
			process: a.pid ? {pid: a.pid, running: true} : null, drift: w.appDrift?.[a.name] ?? [],
		})),
		routes: [...routes].flatMap(([network, list]) => list.map(r => ({network, prefix: r.prefix, origin: r.origin, installed: true}))),
		stray: [], externals: w.externals, overlay: null,
		drift: w.drift ?? [],
		foreign: w.foreign ?? [],
		store: {path: '(memory)', state: 'ok'},
	};
}

export class MemoryBackend implements Backend {
	/** every change applied, as `op args` */
	readonly applied: string[] = [];
	/** a ping fails unless both legs resolve */
	pings = 0;
	/** makes the next read fail (an unreachable host) */
	down = false;
	/** what the core adds to a failed ping (its legs and reason), once it does */
	pingExtra: Pick<Ping, 'legs' | 'reason'> | undefined;

	constructor(readonly host: HostRef, public w: World, private readonly now: () => number = Date.now) {}

	private audit(op: string, args: string): void {
		this.applied.push(`${op} ${args}`);
		this.w.log.unshift({id: this.w.log.length + 1, at: new Date(this.now()).toISOString(), user: 'test', op, args, result: 'ok'} as AuditEntry);
	}

	async load(need: Need): Promise<Data> {
		if (this.down) throw new Error(`host ${this.host.name} unreachable (test: down)`);
		const snap = snapshotOf(this.w, this.host.name);
		const all = snap.apps.flatMap(a => [{namespace: a.namespace, app: a.name, name: 'lo', state: 'UP', addresses: ['127.0.0.1/8'], peer: '', rpFilter: ''}, ...a.ifaces.map(i => ({namespace: a.namespace, app: a.name, name: i.inner, state: 'UP', addresses: [`${i.address}/32`], peer: `${snap.vrouter}/${i.hostIf}`, rpFilter: i.role === 'in' ? 'loose' : 'off'}))]);
		const ifaces = need.ifaces ? all : undefined;
		const app = need.app ? {name: need.app, ifaces: all.filter(i => i.app === need.app), routes: [{dst: 'default', via: '169.254.1.1', dev: 'veth0'}]} : undefined;
		return {snap, log: [...this.w.log], ...(ifaces ? {ifaces} : {}), ...(app ? {app} : {}), loadedAt: this.now()};
	}

	async snapshot(): Promise<Snapshot> {
		if (this.down) throw new Error(`host ${this.host.name} unreachable (test: down)`);
		return snapshotOf(this.w, this.host.name);
	}

	namespaceOf(app: string): string {
		return `m-ns-${app}`;
	}

	private bound(req: BindRequest): World {
		checkName('app', req.app);
		if (this.w.apps.some(a => a.name === req.app)) bad(`app '${req.app}' is already bound (unbind it first)`);
		const after = clone(this.w);
		after.apps.push({name: req.app, ifaces: [{role: 'in', network: req.network, address: lease(after, req.network, req.address)}, ...(req.outbound ? [{role: 'out' as const, network: req.outbound, address: lease(after, req.outbound)}] : [])]});
		return after;
	}

	previewBind(req: BindRequest) {
		const after = this.bound(req);
		const a = after.apps.at(-1)!;
		return {addresses: Object.fromEntries(a.ifaces.map(i => [i.role, i.address])), ...diffModels(model(this.w), model(after))};
	}

	private outbound(app: string, network: string | undefined): World {
		const after = clone(this.w);
		const a = after.apps.find(x => x.name === app) ?? bad(`unknown app '${app}'`);
		a.ifaces = a.ifaces.filter(i => i.role === 'in');
		if (network) a.ifaces.push({role: 'out', network, address: lease(after, network)});
		return after;
	}

	previewOutbound(app: string, network: string | undefined) {
		const cur = this.w.apps.find(x => x.name === app)?.ifaces.find(i => i.role === 'out')?.network;
		const base = {app, ...(cur ? {from: cur} : {}), ...(network ? {to: network} : {})};
		if (cur === network) return {...base, unchanged: true, vrfs: [], apps: []};
		return {...base, unchanged: false, ...diffModels(model(this.w), model(this.outbound(app, network)))};
	}

	private edited(edit: TargetEdit): {after: World; rt: RouteTarget} {
		const rt = parseRouteTarget(edit.rt);
		const after = clone(this.w);
		const n = after.networks.find(x => x.name === edit.network) ?? bad(`unknown network '${edit.network}'`);
		const cur = n.targets.find(t => t.rt === rt);
		const want = membership(edit.direction);
		if (edit.remove) {
			if (!cur || (edit.direction === 'import' && !cur.import) || (edit.direction === 'export' && !cur.export)) bad(`network '${edit.network}' has no ${edit.direction} target ${rt}`);
			const left = {import: cur!.import && !want.import, export: cur!.export && !want.export};
			n.targets = n.targets.filter(t => t.rt !== rt);
			if (left.import || left.export) n.targets.push({rt, auto: cur!.auto, ...(left as ReturnType<typeof membership>)});
		} else {
			n.targets = n.targets.filter(t => t.rt !== rt);
			n.targets.push({rt, auto: cur?.auto ?? false, ...(cur ? ({import: cur.import || want.import, export: cur.export || want.export} as ReturnType<typeof membership>) : want)});
		}
		return {after, rt};
	}

	previewTarget(edit: TargetEdit) {
		const {after, rt} = this.edited(edit);
		return {rt, ...diffModels(model(this.w), model(after))};
	}

	private created(req: CreateNetwork): {after: World; net: Net} {
		checkName('network', req.name);
		const s = parseSubnet(req.subnet ?? bad('a subnet is needed here'));
		if (this.w.networks.some(n => n.name === req.name)) bad(`network '${req.name}' already exists`);
		const other = this.w.networks.find(n => prefixesOverlap(s, parsePrefix(n.subnet)));
		if (other) bad(`subnet ${req.subnet} overlaps network '${other.name}' (${other.subnet})`);
		const after = clone(this.w);
		return {after, net: addNet(after, req.name, req.subnet!, req.targets)};
	}

	private preview(after: World, n: Net): NetworkPreview {
		return {name: n.name, subnet: n.subnet, table: String(1000 + n.id), vni: 4000 + n.id, block: n.subnet, targets: n.targets, ...diffModels(model(this.w), model(after))};
	}

	previewCreateNetwork(req: CreateNetwork): NetworkPreview {
		const {after, net} = this.created(req);
		return this.preview(after, net);
	}

	previewDeleteNetwork(name: string): NetworkPreview {
		const n = this.w.networks.find(x => x.name === name) ?? bad(`unknown network '${name}'`);
		const users = this.w.apps.filter(a => a.ifaces.some(i => i.network === name)).map(a => a.name);
		if (users.length) bad(`network '${name}' is used by ${users.join(', ')}; unbind ${users.length === 1 ? 'it' : 'them'} first`);
		return this.preview({...clone(this.w), networks: this.w.networks.filter(x => x !== n)}, n);
	}

	explain(network: string, prefix: string) {
		if (!this.w.networks.some(n => n.name === network)) bad(`unknown network '${network}'`);
		return explainRoute(model(this.w), network, prefix);
	}

	async explainPeer(app: string, peer: string) {
		return peerFromSnapshot(snapshotOf(this.w), app, peer);
	}

	async bind(req: BindRequest) {
		this.w = this.bound(req);
		this.audit('bind', req.app);
		return {ifaces: this.w.apps.at(-1)!.ifaces};
	}

	async unbind(app: string): Promise<void> {
		if (!this.w.apps.some(a => a.name === app)) bad(`unknown app '${app}'`);
		this.w = {...this.w, apps: this.w.apps.filter(a => a.name !== app)};
		this.audit('unbind', app);
	}

	async setOutbound(app: string, network: string | undefined) {
		const p = this.previewOutbound(app, network);
		if (p.unchanged) return {unchanged: true};
		this.w = this.outbound(app, network);
		this.audit(network ? 'outbound set' : 'outbound clear', `${app} ${network ?? ''}`.trim());
		return {unchanged: false, diff: p as RoutingDiff};
	}

	async editTarget(edit: TargetEdit): Promise<RoutingDiff> {
		const p = this.previewTarget(edit);
		this.w = this.edited(edit).after;
		this.audit(edit.remove ? 'rt del' : 'rt add', `${edit.network} ${p.rt} ${edit.direction}`);
		return p;
	}

	async createNetwork(req: CreateNetwork): Promise<void> {
		this.w = this.created(req).after;
		this.audit('net create', `${req.name} ${req.subnet}`);
	}

	async deleteNetwork(name: string): Promise<void> {
		this.previewDeleteNetwork(name);
		this.w = {...this.w, networks: this.w.networks.filter(n => n.name !== name)};
		this.audit('net delete', name);
	}

	async ping(app: string, target: string): Promise<Ping> {
		this.pings++;
		const e = await this.explainPeer(app, target);
		return {app, address: e.address, ok: e.reachable, detail: e.reachable ? `reply from ${e.address} in 0.1 ms` : `no reply from ${e.address} within 1 s`, ...(e.reachable ? {} : this.pingExtra)};
	}
}
