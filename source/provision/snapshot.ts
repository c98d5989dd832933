import {hostname} from 'node:os';
import {parsePrefix, poolRange} from '../core/ipv4.js';
import type {ExternalRoute, Origin, Role, TargetEntry} from '../core/model.js';
import {APP_IF} from '../core/names.js';
import {desiredState, routeKey, tableOf} from '../dataplane/desired.js';
import type {KernelState, KRoute} from '../dataplane/kernel.js';
import {readKernel} from '../dataplane/read.js';
import type {Context} from './context.js';
import {isRunning} from './process.js';

export type SnapshotIface = {
	readonly role: Role;
	readonly network: string;
	readonly address: string;
	readonly inner: string;
	readonly hostIf: string;
	readonly hostUp: boolean | null;
};

export type SnapshotApp = {
	readonly name: string;
	readonly namespace: string;
	readonly kind: 'netns' | 'attached';
	readonly ifaces: readonly SnapshotIface[];
	/** the network the default route leaves by */
	readonly defaultVia: string;
	readonly process: {readonly pid: number; readonly running: boolean; readonly command?: readonly string[]} | null;
	/** where the kernel differs from intent, as seen from the vrouter; empty when in sync (or unreadable) */
	readonly drift: readonly string[];
};

export type SnapshotNetwork = {
	readonly name: string;
	readonly subnet: string;
	readonly vni: number;
	readonly block: string;
	readonly table: string;
	readonly targets: readonly TargetEntry[];
	readonly apps: readonly string[];
	readonly used: number;
	readonly free: number;
};

export type SnapshotRoute = {
	readonly network: string;
	readonly prefix: string;
	readonly origin: Origin;
	/** in the kernel table as the resolver wants it; null when the kernel could not be read */
	readonly installed: boolean | null;
};

export type Snapshot = {
	readonly host: string;
	readonly controller: string;
	readonly prefix: string;
	readonly vrouter: string;
	readonly takenAt: string;
	/** false when the kernel could not be read (no root, or no vrouter yet) */
	readonly kernelRead: boolean;
	readonly networks: readonly SnapshotNetwork[];
	readonly apps: readonly SnapshotApp[];
	readonly routes: readonly SnapshotRoute[];
	/** routes in our kernel tables that the resolver does not want */
	readonly stray: ReadonlyArray<KRoute & {readonly network?: string}>;
	readonly externals: readonly ExternalRoute[];
	/** this host among many (null on a single host) and how many routes it has learned from the others */
	readonly overlay: {readonly name: string; readonly vtep: string; readonly control: 'local' | 'gobgp'; readonly gobgp: string | null; readonly remoteRoutes: number} | null;
};

/** Addresses this host can hand out: the subnet's pool, within this host's block. */
function blockSize(subnet: string, block: string): number {
	const {first, last} = poolRange(parsePrefix(subnet));
	const b = parsePrefix(block);
	return Math.max(0, Math.min(last, b.address + 2 ** (32 - b.length) - 1) - Math.max(first, b.address) + 1);
}

/** Everything a face shows, from intent plus one read of the vrouter. */
export async function snapshot(ctx: Context, kernelIn?: KernelState): Promise<Snapshot> {
	const intent = ctx.store.load();
	const resolution = ctx.control.routes(intent);
	const desired = desiredState(intent, resolution, ctx.names);
	const kernel = kernelIn ?? (process.getuid?.() === 0 ? await readKernel(ctx.names.vrouter) : undefined);
	const vr = kernel?.vrouter;
	const read = vr !== undefined;
	const links = new Map((vr?.links ?? []).map(l => [l.name, l]));
	const rules = new Map((vr?.rules ?? []).filter(r => r.iif).map(r => [r.iif!, r.table]));
	const kroutes = new Map((vr?.routes ?? []).map(r => [routeKey(r), r]));
	const netTable = new Map(intent.networks.map(n => [n.name, tableOf(n.id)]));
	const tableNet = new Map(intent.networks.map(n => [tableOf(n.id), n.name]));

	const apps = intent.apps.map((app): SnapshotApp => {
		const namespace = ctx.names.appNamespace(app.name);
		const drift: string[] = [];
		const ifaces = app.ifaces.map((i): SnapshotIface => {
			const hostIf = ctx.names.hostIf(app, i.role);
			const link = links.get(hostIf);
			if (read) {
				if (!link) drift.push(`${hostIf} missing`);
				else if (!link.up) drift.push(`${hostIf} down`);
				if (rules.get(hostIf) !== netTable.get(i.network)) drift.push(`rule iif ${hostIf} missing`);
				const k = kroutes.get(routeKey({table: netTable.get(i.network)!, dst: `${i.address}/32`, metric: 0}));
				if (!k || k.dev !== hostIf) drift.push(`route ${i.address}/32 missing in ${i.network}`);
			}
			return {role: i.role, network: i.network, address: i.address, inner: APP_IF[i.role], hostIf, hostUp: read ? (link?.up ?? false) : null};
		});
		if (kernel && !kernel.namespaces.has(namespace)) drift.unshift(`namespace ${namespace} missing`);
		const out = app.ifaces.find(i => i.role === 'out') ?? app.ifaces.find(i => i.role === 'in')!;
		const running = app.pid === undefined ? false : isRunning(app.pid, app.pidStart);
		if (app.kind === 'attached' && !running) drift.push(`process ${app.pid} gone`);
		return {
			name: app.name,
			namespace,
			kind: app.kind,
			ifaces,
			defaultVia: out.network,
			process: app.pid === undefined ? null : {pid: app.pid, running, ...(app.command ? {command: app.command} : {})},
			drift,
		};
	});

	const networks = intent.networks.map((n): SnapshotNetwork => {
		const members = apps.filter(a => a.ifaces.some(i => i.network === n.name)).map(a => a.name);
		const used = intent.apps.reduce((c, a) => c + a.ifaces.filter(i => i.network === n.name).length, 0);
		return {name: n.name, subnet: n.subnet, vni: n.vni, block: n.block, table: tableOf(n.id), targets: n.targets, apps: members, used, free: blockSize(n.subnet, n.block) - used};
	});

	const routes: SnapshotRoute[] = [];
	const wanted = new Set<string>();
	for (const [network, list] of resolution) {
		for (const r of list) {
			const key = routeKey({table: netTable.get(network)!, dst: r.prefix, metric: 0});
			wanted.add(key);
			const d = desired.routes.get(key);
			const k = kroutes.get(key);
			routes.push({network, prefix: r.prefix, origin: r.origin, installed: read ? Boolean(d && k && (k.dev ?? '') === (d.dev ?? '') && (k.via ?? '') === (d.via ?? '')) : null});
		}
	}
	const stray = [...kroutes.values()]
		.filter(r => !desired.routes.has(routeKey(r)))
		.map(r => (tableNet.has(r.table) ? {...r, network: tableNet.get(r.table)!} : r));
	return {
		host: intent.host?.name ?? hostname(),
		controller: intent.host?.control ?? ctx.control.name,
		prefix: ctx.names.prefix,
		vrouter: ctx.names.vrouter,
		takenAt: new Date().toISOString(),
		kernelRead: read,
		networks,
		apps,
		routes,
		stray,
		externals: intent.externals,
		overlay: intent.host ? {name: intent.host.name, vtep: intent.host.vtep, control: intent.host.control, gobgp: intent.host.gobgp ?? null, remoteRoutes: intent.remotes.length} : null,
	};
}
