import {existsSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {fail} from '../core/errors.js';
import {formatIpv4, inPool, nextFree, parseIpv4, parsePrefix, prefixContains} from '../core/ipv4.js';
import {checkName} from '../core/names.js';
import {run} from '../dataplane/run.js';
import {diffModels} from '../core/diff.js';
import {routingModel} from '../control/local.js';
import type {Intent, Network} from '../store/intent.js';
import type {Context} from './context.js';
import {networkIdOrFail} from './networks.js';
import {operate, requireRoot} from './operation.js';
import {isRunning, processStart, resolveProgram, stopProcesses} from './process.js';
import {repairApps} from './reconcile.js';
import {readInside, RTN_UNICAST} from '../dataplane/inside.js';
import {listNamespaces} from '../dataplane/read.js';

export type Bind = {app: string; network: string; outbound?: string; address?: string; command?: readonly string[]};

function appOrFail(intent: Intent, name: string) {
	checkName('app', name);
	const app = intent.apps.find(a => a.name === name);
	if (!app) fail(`unknown app '${name}' (see 'nsdeck status')`);
	return app;
}

/**
 * The address an app gets in a network: the one asked for (checked against the pool and this host's block) or the
 * lowest free one. Pure over the leases given; the bind runs it inside its transaction, the preview outside.
 */
export function pickAddress(net: Network, leased: ReadonlySet<number>, wanted?: number): number {
	if (!net.subnet || !net.block) fail(`network '${net.name}' has no subnet yet: set one with 'nsdeck net set ${net.name} --subnet CIDR'`);
	const subnet = parsePrefix(net.subnet);
	const block = parsePrefix(net.block);
	if (wanted !== undefined) {
		if (!inPool(subnet, wanted)) fail(`address ${formatIpv4(wanted)} is not in the pool of '${net.name}' (${net.subnet}, gateway and broadcast excluded)`);
		if (!prefixContains(block, wanted)) fail(`address ${formatIpv4(wanted)} is outside this host's block ${net.block} of '${net.name}'`);
		if (leased.has(wanted)) fail(`address ${formatIpv4(wanted)} is already leased in '${net.name}'`);
		return wanted;
	}
	const ip = nextFree(subnet, leased, block);
	if (ip === undefined) fail(`network '${net.name}' has no free address left (${net.block === net.subnet ? net.subnet : `block ${net.block}`})`);
	return ip;
}

/** Leases an address in a network. Runs inside a transaction. */
function lease(ctx: Context, network: string, wanted?: number): number {
	const id = networkIdOrFail(ctx, network);
	return pickAddress(ctx.store.load().networks.find(n => n.id === id)!, ctx.store.leased(id), wanted);
}

function checkBind(req: Bind): number | undefined {
	checkName('app', req.app);
	checkName('network', req.network);
	if (req.outbound !== undefined) {
		checkName('network', req.outbound);
		if (req.outbound === req.network) fail(`outbound network must differ from the inbound one ('${req.network}')`);
	}
	if (req.command && req.command.length === 0) fail('empty command after --');
	return req.address === undefined ? undefined : parseIpv4(req.address);
}

function insertBinding(ctx: Context, req: Bind, kind: 'netns' | 'attached', wanted: number | undefined, pid?: {pid: number; start: string}) {
	if (ctx.store.hasApp(req.app)) fail(`app '${req.app}' is already bound (unbind it first)`);
	const inId = networkIdOrFail(ctx, req.network);
	const outId = req.outbound === undefined ? undefined : networkIdOrFail(ctx, req.outbound);
	const inAddr = lease(ctx, req.network, wanted);
	ctx.store.insertApp({name: req.app, kind, ...(pid ? {pid: pid.pid, pidStart: pid.start} : {}), ...(req.command ? {command: req.command} : {})});
	ctx.store.insertIface(req.app, 'in', inId, inAddr);
	if (outId !== undefined) ctx.store.insertIface(req.app, 'out', outId, lease(ctx, req.outbound!));
	ctx.store.own(ctx.names.appNamespace(req.app), kind === 'netns' ? 'netns' : 'link');
}

function checkFreeNamespace(ctx: Context, app: string): void {
	const namespace = ctx.names.appNamespace(app);
	if (existsSync(`/run/netns/${namespace}`) && !ctx.store.load().owned.some(o => o.name === namespace)) {
		fail(`namespace ${namespace} already exists and is not nsdeck's; use 'nsdeck attach' for a running process`);
	}
}

/**
 * Binds one app; with a command, the command is recorded with the binding (so a crash never loses it) and started
 * inside the namespace once the network is in place. A command that cannot start undoes the bind.
 */
export async function bind(ctx: Context, req: Bind) {
	if (req.command) {
		if (req.command.length === 0) fail('empty command after --');
		resolveProgram(req.command[0]!);
	}
	const outcome = await bindAll(ctx, [req], {...req});
	const app = ctx.store.load().apps.find(a => a.name === req.app);
	return {...outcome, ifaces: app?.ifaces ?? [], pid: req.command ? app?.pid : undefined, ...(req.command ? {log: join(ctx.dir, 'logs', `${req.app}.log`)} : {})};
}

/**
 * What an init script's pre-start wants after a crash or a reboot: the app bound as asked. Bound already to the same
 * networks: its namespace is repaired (what is missing made again) and it stays. Bound differently: bad input.
 */
export async function bindOrRepair(ctx: Context, req: Bind): Promise<'bound' | 'repaired'> {
	const app = ctx.store.load().apps.find(a => a.name === checkName('app', req.app));
	if (!app) {
		await bind(ctx, req);
		return 'bound';
	}
	const inbound = app.ifaces.find(i => i.role === 'in')?.network;
	const outbound = app.ifaces.find(i => i.role === 'out')?.network;
	if (inbound !== req.network || outbound !== req.outbound) {
		fail(`${req.app} is already bound to ${inbound}${outbound ? ` (outbound ${outbound})` : ''}; asked for ${req.network}${req.outbound ? ` (outbound ${req.outbound})` : ''}: stop it first`);
	}
	await repairApps(ctx, [req.app]);
	return 'repaired';
}

/** Many binds as one operation: one transaction, one converge, so the kernel work is batched across all apps. */
export async function bindAll(ctx: Context, reqs: readonly Bind[], auditArgs: Record<string, unknown> = {apps: reqs.map(r => r.app)}) {
	const wanted = reqs.map(req => {
		checkFreeNamespace(ctx, req.app);
		return checkBind(req);
	});
	if (new Set(reqs.map(r => r.app)).size !== reqs.length) fail('the same app is named twice');
	return operate(ctx, 'bind', auditArgs, () => reqs.forEach((req, i) => insertBinding(ctx, req, 'netns', wanted[i])), {
		touched: reqs.map(r => r.app),
		undo: () => reqs.forEach(r => ctx.store.deleteApp(r.app)),
	});
}

/**
 * Many unbinds as one operation: the namespaces go in one `ip -batch`, their veths and routes with them. Every
 * process living in an app's namespace is stopped first (a daemon that forked, its children), so nothing keeps
 * running, and holding an address, in a namespace nsdeck removed. An attached app's process is not ours: it stays.
 */
export async function unbindAll(ctx: Context, names: readonly string[]) {
	const intent = ctx.store.load();
	const apps = names.map(name => appOrFail(intent, name));
	// converge stops what runs in each namespace it deletes; a recorded daemon left outside it (its namespace was
	// deleted by hand and made again) is stopped here
	const strays = apps.filter(a => a.kind === 'netns' && isRunning(a.pid, a.pidStart)).map(a => a.pid!);
	return operate(ctx, 'unbind', {apps: names}, () => names.forEach(name => ctx.store.deleteApp(name)), {before: () => stopProcesses(strays)});
}

/** Attaches a running process's namespace (as the nova-docker driver did: a link under /run/netns). */
export async function attach(ctx: Context, req: Bind & {pid: number}) {
	const wanted = checkBind(req);
	if (!Number.isSafeInteger(req.pid) || req.pid <= 1) fail(`invalid pid '${req.pid}'`);
	requireRoot();
	const start = processStart(req.pid);
	if (!start || !existsSync(`/proc/${req.pid}/ns/net`)) fail(`no process with pid ${req.pid}`);
	if (existsSync(`/run/netns/${ctx.names.appNamespace(req.app)}`)) fail(`namespace ${ctx.names.appNamespace(req.app)} already exists`);
	await checkAttachable(ctx, req.pid);
	return operate(ctx, 'attach', {...req}, () => insertBinding(ctx, req, 'attached', wanted, {pid: req.pid, start}), {touched: [req.app], undo: () => ctx.store.deleteApp(req.app)});
}

/**
 * What attach must never take over: the host's own namespace (its default route would be replaced), nsdeck's
 * vrouter or gateway, another app's namespace, or any namespace already holding a default route or addresses.
 */
async function checkAttachable(ctx: Context, pid: number): Promise<void> {
	const ino = statSync(`/proc/${pid}/ns/net`).ino;
	const inodeOf = (path: string) => {
		try {
			return statSync(path).ino;
		} catch {
			return undefined;
		}
	};
	if (ino === inodeOf('/proc/self/ns/net') || ino === inodeOf('/proc/1/ns/net')) {
		fail(`pid ${pid} is in the host's own network namespace: refusing to attach it (nsdeck never changes the host's routes or addresses)`);
	}
	for (const ns of listNamespaces()) {
		if (inodeOf(`/run/netns/${ns}`) !== ino) continue;
		if (ns === ctx.names.vrouter || ns === ctx.names.gateway) fail(`pid ${pid} is in nsdeck's ${ns === ctx.names.vrouter ? 'vrouter' : 'gateway'} namespace ${ns}: refusing to attach it`);
		const other = ctx.names.appOf(ns);
		if (other !== undefined) fail(`pid ${pid} is in app '${other}''s namespace ${ns}: refusing to attach it`);
	}
	const s = (await readInside([`/proc/${pid}/ns/net`])).get(`/proc/${pid}/ns/net`);
	if (!s) fail(`cannot read the network namespace of pid ${pid}`);
	const def = s.routes.find(r => r.dst === '0.0.0.0/0' && r.type === RTN_UNICAST);
	if (def) fail(`pid ${pid}'s network namespace already has a default route (${def.via ? `via ${def.via} ` : ''}dev ${def.dev ?? '?'}): refusing to take it over`);
	const addresses = [...s.links.values()].flatMap(l => l.addresses.filter(a => l.name !== 'lo' || !a.startsWith('127.')).map(a => `${l.name} ${a}`));
	if (addresses.length > 0) fail(`pid ${pid}'s network namespace already has addresses (${addresses.slice(0, 3).join(', ')}): refusing to take it over`);
}

export async function unbind(ctx: Context, name: string) {
	return unbindAll(ctx, [name]);
}

/** Sets, moves or clears an app's outbound network; returns what that does to routing. */
export async function setOutbound(ctx: Context, name: string, network: string | undefined) {
	const intent = ctx.store.load();
	const app = appOrFail(intent, name);
	const inbound = app.ifaces.find(i => i.role === 'in')!;
	const current = app.ifaces.find(i => i.role === 'out');
	if (network !== undefined) {
		networkIdOrFail(ctx, network);
		if (network === inbound.network) fail(`outbound network must differ from the inbound one ('${network}')`);
	}
	if (current?.network === network) return {unchanged: true as const};
	const outcome = await operate(ctx, network ? 'outbound set' : 'outbound clear', {app: name, network: network ?? null}, () => {
		ctx.store.deleteIface(name, 'out');
		if (network) ctx.store.insertIface(name, 'out', networkIdOrFail(ctx, network), lease(ctx, network));
	}, {
		touched: [name],
		undo: () => {
			ctx.store.deleteIface(name, 'out');
			if (current) ctx.store.insertIface(name, 'out', networkIdOrFail(ctx, current.network), parseIpv4(current.address));
		},
	});
	const after = ctx.store.load();
	return {unchanged: false as const, ...outcome, diff: diffModels(routingModel(intent), routingModel(after))};
}



/** The container's PID from `docker inspect`, as the nova-docker driver read it. */
export async function containerPid(id: string): Promise<number> {
	if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(id)) fail(`invalid container id '${id}'`);
	const r = await run('docker', ['inspect', '-f', '{{.State.Pid}}', id]);
	if (r.exitCode !== 0) fail(`docker inspect ${id}: ${r.stderr.trim() || r.error?.code || 'failed'}`);
	const value = Number(r.stdout.trim());
	if (!Number.isSafeInteger(value) || value <= 0) fail(`container ${id} is not running`);
	return value;
}
