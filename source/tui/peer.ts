// `explain APP PEER` as the console shows it: two legs, the request (APP → PEER) and the reply (PEER → APP), each
// with the VRF it is looked up in, the route it follows, the target that would fix a missing one, and the kernel's
// own answer beside the resolver's (provision/legs.ts). Another host's agent does not answer that question, so for
// it the resolver's half is computed here from its snapshot (the same pure core), without the kernel's.
import {Reach} from '../core/legs.js';
import type {RemoteRoute, RoutingModel} from '../core/model.js';
import type {PeerExplanation} from '../provision/legs.js';
import type {Snapshot} from '../provision/snapshot.js';
import type {Line} from '../provision/text.js';

export type {PeerExplanation};
export type PeerLeg = PeerExplanation['legs'][number];

/** A host's routing model as its snapshot shows it (networks, app addresses, external and remote routes). */
function modelOf(s: Snapshot): RoutingModel {
	const remotes: RemoteRoute[] = [];
	for (const r of s.routes) if (r.origin.kind === 'remote') remotes.push({prefix: r.prefix, rd: r.origin.rd, nexthop: r.origin.nexthop, label: r.origin.label, targets: r.origin.targets, ...(r.origin.host ? {host: r.origin.host} : {})});
	return {
		networks: s.networks.map(n => ({name: n.name, targets: n.targets, ...(n.subnet ? {subnet: n.subnet} : {})})),
		locals: s.apps.flatMap(a => a.ifaces.map(i => ({prefix: `${i.address}/32`, network: i.network, app: a.name, role: i.role}))),
		externals: s.externals,
		remotes,
	};
}

/** Both legs from the resolver alone, over a snapshot: for a host whose agent does not explain peers. */
export function peerFromSnapshot(s: Snapshot, app: string, peer: string): PeerExplanation {
	if (!s.apps.some(a => a.name === app)) throw new Error(`unknown app '${app}'`);
	const other = s.apps.find(a => a.name === peer);
	if (!other && !/^\d+\.\d+\.\d+\.\d+$/.test(peer)) throw new Error(`'${peer}' is neither an IPv4 address nor a bound app`);
	const address = other ? other.ifaces.find(i => i.role === 'in')!.address : peer;
	const {legs, reachable} = new Reach(modelOf(s)).legs(app, address);
	return {app, peer, address, reachable, kernelAgrees: null, legs: legs.map(l => ({...l, kernel: []})), lines: legs.map(l => l.text)};
}

const end = (x: {app?: string; address: string}) => `${x.app ? `${x.app} ` : ''}${x.address}`;

/** The explanation as lines: one block per leg, its route, the kernel's answers, the fix where a leg is missing. */
export function peerLines(e: PeerExplanation): Line[] {
	const verdict = e.reachable ? 'reachable both ways' : 'NOT reachable';
	const lines: Line[] = [{text: `${e.app} ↔ ${e.peer}${e.peer === e.address ? '' : ` (${e.address})`}: ${verdict}${e.kernelAgrees === false ? ' by intent, but the kernel disagrees (drift)' : ''}`, tone: e.reachable && e.kernelAgrees !== false ? 'good' : 'bad'}];
	for (const l of e.legs) {
		lines.push({text: ''});
		lines.push({text: `${l.direction === 'request' ? 'request' : 'reply  '}  ${end(l.from)} → ${end(l.to)}   ${l.vrf ? `VRF ${l.vrf}: ` : ''}${l.ok ? 'ok' : 'MISSING'}`, tone: l.ok ? 'good' : 'bad'});
		lines.push({text: `  route   ${l.route ? `${l.route.prefix} (${l.route.origin.kind})` : l.vrf ? 'none: the unreachable default' : l.text.replace(/^\w+: /, '')}`});
		for (const k of l.kernel) lines.push({text: `  kernel  ${k.where}: ${k.query} → ${k.answer}${k.agrees ? '' : `  (expected ${k.expected}: drift)`}`, tone: k.agrees ? 'dim' : 'bad'});
		if (l.fix) lines.push({text: `  fix     ${l.fix}`, tone: 'warn'});
	}
	if (e.kernelAgrees === null) lines.push({text: ''}, {text: 'the kernel was not asked here (another host, or no root): the resolver\'s answer only', tone: 'dim'});
	return lines;
}
