import {existsSync} from 'node:fs';
import {fail} from '../core/errors.js';
import {formatIpv4, inPool, nextFree, parseIpv4, parsePrefix, prefixContains} from '../core/ipv4.js';
import {checkName} from '../core/names.js';
import {run} from '../dataplane/run.js';
import {diffModels} from '../core/diff.js';
import {routingModel} from '../control/local.js';
import type {Intent} from '../store/intent.js';
import type {Context} from './context.js';
import {networkIdOrFail} from './networks.js';
import {operate, requireRoot} from './operation.js';
import {processStart, startInNamespace, stopProcess} from './process.js';

export type Bind = {app: string; network: string; outbound?: string; address?: string; command?: readonly string[]};

function appOrFail(intent: Intent, name: string) {
	checkName('app', name);
	const app = intent.apps.find(a => a.name === name);
	if (!app) fail(`unknown app '${name}' (see 'nsdeck status')`);
	return app;
}

/** Leases an address in a network: the one asked for (checked) or the lowest free one. Runs inside a transaction. */
function lease(ctx: Context, network: string, wanted?: number): number {
	const id = networkIdOrFail(ctx, network);
	const net = ctx.store.load().networks.find(n => n.id === id)!;
	const subnet = parsePrefix(net.subnet);
	const block = parsePrefix(net.block);
	const leased = ctx.store.leased(id);
	if (wanted !== undefined) {
		if (!inPool(subnet, wanted)) fail(`address ${formatIpv4(wanted)} is not in the pool of '${network}' (${net.subnet}, gateway and broadcast excluded)`);
		if (!prefixContains(block, wanted)) fail(`address ${formatIpv4(wanted)} is outside this host's block ${net.block} of '${network}'`);
		if (leased.has(wanted)) fail(`address ${formatIpv4(wanted)} is already leased in '${network}'`);
		return wanted;
	}
	const ip = nextFree(subnet, leased, block);
	if (ip === undefined) fail(`network '${network}' has no free address left (${net.block === net.subnet ? net.subnet : `block ${net.block}`})`);
	return ip;
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

/** Binds one app; with a command, starts it inside the namespace once the network is in place. */
export async function bind(ctx: Context, req: Bind) {
	const {command, ...rest} = req;
	if (command && command.length === 0) fail('empty command after --');
	const outcome = await bindAll(ctx, [rest], {...req});
	const ifaces = ctx.store.load().apps.find(a => a.name === req.app)?.ifaces ?? [];
	if (!command) return {...outcome, ifaces, pid: undefined};
	const started = startInNamespace(ctx.dir, req.app, ctx.names.appNamespace(req.app), command);
	ctx.store.tx(() => {
		ctx.store.setProcess(req.app, started.pid, started.start);
		ctx.store.setCommand(req.app, command);
	});
	return {...outcome, ifaces, pid: started.pid, log: started.log};
}

/** Many binds as one operation: one transaction, one converge, so the kernel work is batched across all apps. */
export async function bindAll(ctx: Context, reqs: readonly Bind[], auditArgs: Record<string, unknown> = {apps: reqs.map(r => r.app)}) {
	const wanted = reqs.map(req => {
		if (req.command) fail('bindAll does not start commands');
		checkFreeNamespace(ctx, req.app);
		return checkBind(req);
	});
	if (new Set(reqs.map(r => r.app)).size !== reqs.length) fail('the same app is named twice');
	return operate(ctx, 'bind', auditArgs, () => reqs.forEach((req, i) => insertBinding(ctx, req, 'netns', wanted[i])), {
		touched: reqs.map(r => r.app),
		undo: () => reqs.forEach(r => ctx.store.deleteApp(r.app)),
	});
}

/** Many unbinds as one operation: the namespaces go in one `ip -batch`, their veths and routes with them. */
export async function unbindAll(ctx: Context, names: readonly string[]) {
	const intent = ctx.store.load();
	const apps = names.map(name => appOrFail(intent, name));
	requireRoot();
	await Promise.all(apps.filter(a => a.kind === 'netns').map(a => stopProcess(a.pid, a.pidStart)));
	return operate(ctx, 'unbind', {apps: names}, () => names.forEach(name => ctx.store.deleteApp(name)));
}

/** Attaches a running process's namespace (as the nova-docker driver did: a link under /run/netns). */
export async function attach(ctx: Context, req: Bind & {pid: number}) {
	const wanted = checkBind(req);
	if (!Number.isSafeInteger(req.pid) || req.pid <= 1) fail(`invalid pid '${req.pid}'`);
	requireRoot();
	const start = processStart(req.pid);
	if (!start || !existsSync(`/proc/${req.pid}/ns/net`)) fail(`no process with pid ${req.pid}`);
	if (existsSync(`/run/netns/${ctx.names.appNamespace(req.app)}`)) fail(`namespace ${ctx.names.appNamespace(req.app)} already exists`);
	return operate(ctx, 'attach', {...req}, () => insertBinding(ctx, req, 'attached', wanted, {pid: req.pid, start}), {touched: [req.app], undo: () => ctx.store.deleteApp(req.app)});
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
