// Previews for the console's "see before you apply": the routing diff an outbound change or a bind would cause,
// computed from intent in memory with the resolver. Nothing is written.
import {diffModels, type RoutingDiff} from '../core/diff.js';
import {fail} from '../core/errors.js';
import {formatIpv4, parseIpv4} from '../core/ipv4.js';
import {pickAddress} from './apps.js';
import {checkName} from '../core/names.js';
import {routingModel} from '../control/local.js';
import type {AppIface, Intent} from '../store/intent.js';
import type {Context} from './context.js';

function addressFor(ctx: Context, intent: Intent, network: string, wanted?: string): string {
	checkName('network', network);
	const net = intent.networks.find(n => n.name === network);
	if (!net) fail(`unknown network '${network}'`);
	return formatIpv4(pickAddress(net, ctx.store.leased(net.id), wanted === undefined ? undefined : parseIpv4(wanted)));
}

export type OutboundPreview = RoutingDiff & {readonly app: string; readonly from?: string; readonly to?: string; readonly unchanged: boolean};

/** What setting (or, with undefined, clearing) an app's outbound network would do to routing. */
export function previewOutbound(ctx: Context, app: string, network: string | undefined): OutboundPreview {
	checkName('app', app);
	const intent = ctx.store.load();
	const current = intent.apps.find(a => a.name === app);
	if (!current) fail(`unknown app '${app}'`);
	const inbound = current.ifaces.find(i => i.role === 'in')!;
	const out = current.ifaces.find(i => i.role === 'out');
	if (network !== undefined && network === inbound.network) fail(`outbound network must differ from the inbound one ('${network}')`);
	const base = {app, ...(out ? {from: out.network} : {}), ...(network ? {to: network} : {})};
	if (out?.network === network) return {...base, unchanged: true, vrfs: [], apps: []};
	const ifaces: AppIface[] = current.ifaces.filter(i => i.role !== 'out');
	if (network !== undefined) ifaces.push({role: 'out', network, address: addressFor(ctx, intent, network)});
	const after: Intent = {...intent, apps: intent.apps.map(a => (a.name === app ? {...a, ifaces} : a))};
	return {...base, unchanged: false, ...diffModels(routingModel(intent), routingModel(after))};
}

/** What binding a new app would do to routing: its /32s appear in its networks and wherever they are imported. */
export function previewBind(ctx: Context, req: {app: string; network: string; outbound?: string; address?: string}): RoutingDiff & {addresses: Record<string, string>} {
	checkName('app', req.app);
	const intent = ctx.store.load();
	if (intent.apps.some(a => a.name === req.app)) fail(`app '${req.app}' is already bound (unbind it first)`);
	if (req.outbound !== undefined && req.outbound === req.network) fail(`outbound network must differ from the inbound one ('${req.network}')`);
	const ifaces: AppIface[] = [{role: 'in', network: req.network, address: addressFor(ctx, intent, req.network, req.address)}];
	if (req.outbound !== undefined) ifaces.push({role: 'out', network: req.outbound, address: addressFor(ctx, intent, req.outbound)});
	const after: Intent = {...intent, apps: [...intent.apps, {name: req.app, ifid: 0, kind: 'netns', ifaces, createdAt: new Date().toISOString()}]};
	return {addresses: Object.fromEntries(ifaces.map(i => [i.role, i.address])), ...diffModels(routingModel(intent), routingModel(after))};
}
