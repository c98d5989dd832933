// The reads every face needs, through one door: the faces (console, CLI, agent) never compose the store, the
// resolver or the control plane themselves.
import {hostname} from 'node:os';
import {explainRoute, type Explanation} from '../core/explain.js';
import {routingModel} from '../control/local.js';
import type {AuditEntry, HostSettings, Intent} from '../store/intent.js';
import type {RemoteRoute} from '../core/model.js';
import {translateRemote, type Translation} from '../core/overlay.js';
import type {Context} from './context.js';
import {inspectInterfaces, namespaceRoutes, type InterfaceRow, type NamespaceRoute} from './inspect.js';
import {networkIdOrFail} from './networks.js';
import {formatPrefix, parsePrefix, prefixContains} from '../core/ipv4.js';
import {tableOf} from '../dataplane/desired.js';
import {ipShow} from '../dataplane/ip.js';
import {TAG} from '../dataplane/kernel.js';
import {listNamespaces} from '../dataplane/read.js';

/** What the operator asked for, as the store has it now. */
export function intentOf(ctx: Context): Intent {
	return ctx.store.load();
}

/**
 * Why a VRF holds a route (or not), and which target would change that; then, as root, what the VRF's kernel table
 * holds for it: whether nsdeck's route is installed, and any route nsdeck did not put there (foreign) that covers it.
 */
export async function explainIn(ctx: Context, network: string, prefix: string): Promise<Explanation> {
	const id = networkIdOrFail(ctx, network);
	const e = explainRoute(routingModel(ctx.store.load()), network, prefix);
	if (process.getuid?.() !== 0 || !listNamespaces().has(ctx.names.vrouter)) return e;
	const table = tableOf(id);
	const routes = ((await ipShow(ctx.names.vrouter, [`route show table ${table}`]))?.[0] ?? []) as Array<{dst: string; dev?: string; gateway?: string; protocol?: string; type?: string}>;
	const target = parsePrefix(e.prefix);
	const lines = [...e.lines];
	const covering = routes
		.map(r => ({r, p: parsePrefix(r.dst === 'default' ? '0.0.0.0/0' : r.dst.includes('/') ? r.dst : `${r.dst}/32`)}))
		.filter(({p}) => p.length <= target.length && prefixContains(p, target.address))
		.sort((a, b) => b.p.length - a.p.length);
	const ours = covering.find(({p, r}) => r.protocol === String(TAG) && formatPrefix(p) === e.prefix);
	if (e.held && !ours) lines.push(`the kernel table ${table} lacks it: drift, 'nsdeck reconcile' puts it back`);
	const first = covering[0];
	if (first && first.r.protocol !== String(TAG) && first.r.protocol !== 'kernel') {
		lines.push(`the kernel table ${table} also holds ${formatPrefix(first.p)}${first.r.gateway ? ` via ${first.r.gateway}` : ''}${first.r.dev ? ` dev ${first.r.dev}` : ''} (proto ${first.r.protocol ?? 'boot'}), which nsdeck did not put there (foreign): traffic to ${e.prefix} follows it`);
	}
	return {...e, lines};
}

export function auditLog(ctx: Context, limit = 200): AuditEntry[] {
	return ctx.store.auditLog(limit);
}

export type AppDetail = {readonly name: string; readonly ifaces: readonly InterfaceRow[]; readonly routes: readonly NamespaceRoute[]};

/** One app's namespace as the kernel has it: its interfaces and its routing table. */
export async function appDetail(ctx: Context, app: string): Promise<AppDetail> {
	const [ifaces, routes] = await Promise.all([inspectInterfaces(ctx, {apps: [app], vrouter: false}), namespaceRoutes(ctx, app)]);
	return {name: app, ifaces, routes};
}

/** This host's settings among many (undefined on a single host) and the routes learned from the others, each with who announced it and its VNI. */
export function hostInfo(ctx: Context): {host: HostSettings | undefined; remotes: Array<RemoteRoute & Translation>} {
	const host = ctx.store.host();
	return {host, remotes: ctx.store.remotes().map(r => ({...r, ...translateRemote(r, host)}))};
}

/** A host the console can show: this one, or another one's agent. */
export type HostRef = {readonly name: string; readonly local: boolean; readonly url?: string; readonly tokenFile?: string; readonly fingerprint?: string};

/** This host's name as the faces show it: its host settings' name, else the machine's. */
export function localName(ctx: Context): string {
	return ctx.store.host()?.name ?? hostname();
}

/** This host first, then the other hosts' agents recorded with `host set --agent`. */
export function knownHosts(ctx: Context): HostRef[] {
	const agents = ctx.store.host()?.agents ?? {};
	return [{name: localName(ctx), local: true}, ...Object.keys(agents).sort().map(name => ({name, local: false, url: agents[name]!.url, tokenFile: agents[name]!.tokenFile, ...(agents[name]!.fingerprint ? {fingerprint: agents[name]!.fingerprint} : {})}))];
}

/** Names `--host` and `:host` accept for this host besides its own. */
export const LOCAL_ALIASES = ['local', 'localhost'];

export function findHost(hosts: readonly HostRef[], name: string): HostRef | undefined {
	return hosts.find(h => h.name === name) ?? (LOCAL_ALIASES.includes(name) || name === hostname() ? hosts.find(h => h.local) : undefined);
}
