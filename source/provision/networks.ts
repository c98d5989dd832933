import {fail} from '../core/errors.js';
import {formatPrefix, parsePrefix, parseSubnet, prefixesOverlap} from '../core/ipv4.js';
import {membership} from '../core/model.js';
import {checkName} from '../core/names.js';
import {autoRouteTarget, parseRouteTarget} from '../core/rt.js';
import {deriveVni, parseBlock, parseVni} from '../core/overlay.js';
import type {Context} from './context.js';
import {operate} from './operation.js';

export type CreateNetwork = {name: string; /** absent: a network without a subnet (as network-manage create without --subnet) */ subnet?: string; targets?: readonly string[]; autoTarget?: boolean; vni?: string; block?: string};

export function networkIdOrFail(ctx: Context, name: string): number {
	checkName('network', name);
	const id = ctx.store.networkId(name);
	if (id === undefined) fail(`unknown network '${name}' (see 'nsdeck net list')`);
	return id;
}

export function checkCreate(req: CreateNetwork) {
	const name = checkName('network', req.name);
	const subnet = req.subnet === undefined ? undefined : parseSubnet(req.subnet);
	if (req.block !== undefined && !subnet) fail('--block needs --subnet');
	const targets = [...new Set((req.targets ?? []).map(parseRouteTarget))];
	const vni = req.vni === undefined ? deriveVni(name) : parseVni(req.vni);
	const block = req.block === undefined || !subnet ? undefined : formatPrefix(parseBlock(req.block, subnet));
	return {req, name, subnet, targets, vni, block};
}

/** Inside the transaction: the checks against what exists (and against earlier networks of the same batch), then the rows. */
export function insertChecked(ctx: Context, c: ReturnType<typeof checkCreate>): number {
	const {req, name, subnet, targets, vni, block} = c;
	if (ctx.store.networkId(name) !== undefined) fail(`network '${name}' already exists`);
	for (const other of ctx.store.load().networks) {
		if (subnet && other.subnet && prefixesOverlap(subnet, parsePrefix(other.subnet))) fail(`subnet ${formatPrefix(subnet)} overlaps network '${other.name}' (${other.subnet})`);
		if (other.vni === vni) fail(`VNI ${vni} is already used by network '${other.name}'${req.vni === undefined ? '; give one with --vni N' : ''}`);
	}
	const id = ctx.store.insertNetwork(name, subnet ? formatPrefix(subnet) : null, vni, block);
	// across hosts the automatic target follows the VNI (the same network name gets the same one everywhere)
	const auto = ctx.store.host()?.control === 'gobgp' ? autoRouteTarget(vni) : autoRouteTarget(id);
	if (req.autoTarget !== false) ctx.store.setTarget(id, auto, membership('both'), true);
	for (const rt of targets) ctx.store.setTarget(id, rt, membership('both'));
	return id;
}

export async function createNetwork(ctx: Context, req: CreateNetwork) {
	const c = checkCreate(req);
	return operate(ctx, 'net create', {...req}, () => insertChecked(ctx, c), {undo: id => ctx.store.deleteNetwork(id)});
}

/** Many networks as one operation: one transaction, one converge (the lab's large sizes). */
export async function createNetworks(ctx: Context, reqs: readonly CreateNetwork[]) {
	const checked = reqs.map(checkCreate);
	return operate(ctx, 'net create', {networks: reqs.map(r => r.name)}, () => checked.map(c => insertChecked(ctx, c)), {
		undo: ids => ids.forEach(id => ctx.store.deleteNetwork(id)),
	});
}

export async function deleteNetwork(ctx: Context, name: string) {
	const id = networkIdOrFail(ctx, name);
	return operate(ctx, 'net delete', {name}, () => {
		const users = ctx.store.appsOn(id);
		if (users.length > 0) fail(`network '${name}' is used by ${users.join(', ')}; unbind ${users.length === 1 ? 'it' : 'them'} first`);
		ctx.store.deleteNetwork(id);
	});
}

/** Gives a network made without a subnet its subnet (and this host's block of it); a subnet, once set, stays. */
export async function setSubnet(ctx: Context, req: {name: string; subnet: string; block?: string}) {
	const id = networkIdOrFail(ctx, req.name);
	const subnet = parseSubnet(req.subnet);
	const block = req.block === undefined ? undefined : formatPrefix(parseBlock(req.block, subnet));
	return operate(ctx, 'net set', {...req}, () => {
		const net = ctx.store.load().networks.find(n => n.id === id)!;
		if (net.subnet !== null) fail(`network '${req.name}' already has subnet ${net.subnet}; a subnet cannot change once set`);
		for (const other of ctx.store.load().networks) {
			if (other.id !== id && other.subnet && prefixesOverlap(subnet, parsePrefix(other.subnet))) fail(`subnet ${formatPrefix(subnet)} overlaps network '${other.name}' (${other.subnet})`);
		}
		ctx.store.setSubnet(id, formatPrefix(subnet), block);
	});
}
