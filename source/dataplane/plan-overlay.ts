// The overlay part of a plan (control gobgp): VXLAN devices made from where their socket lives straight into the
// vrouter (and deleted when no longer wanted), and per remote VTEP a permanent neighbour and a forwarding entry, in
// place before any route uses them. A full plan runs it against the kernel read; the agent's direct path
// (delta.ts) against the desired state it applied last.
import {isVxlanIf, VXLAN_PORT} from '../core/overlay.js';
import {change, type Change} from './change.js';
import type {Desired} from './desired.js';
import {type KLink, TAG, type VrouterState} from './kernel.js';

export type OverlayPlan = {
	readonly vrouterDel: string[];
	readonly vrouterAdd: string[];
	readonly underlay: Array<{namespace: string | undefined; lines: string[]}>;
	readonly bridge: string[];
	readonly changes: Change[];
	/** devices deleted (and made again when wanted): their routes, neighbours and entries go with them */
	readonly gone: Set<string>;
	readonly fresh: Set<string>;
};

export function planVxlans(desired: Desired, vr: VrouterState | undefined, prefix: string): OverlayPlan {
	const plan: OverlayPlan = {vrouterDel: [], vrouterAdd: [], underlay: [], bridge: [], changes: [], gone: new Set(), fresh: new Set()};
	const haveAll = new Map<string, KLink>((vr?.links ?? []).map(l => [l.name, l]));
	// ours by tag and name, whatever namespace its socket lives in (its link-netns is the underlay, not a peer's)
	for (const l of haveAll.values()) {
		if (l.group !== String(TAG) || !isVxlanIf(prefix, l.name) || desired.vxlans.has(l.name)) continue;
		plan.vrouterDel.push(`link del dev ${l.name}`);
		plan.changes.push(change({op: '-', what: 'link', object: `${desired.vrouter}/${l.name}`, expected: '', seen: 'VXLAN device', detail: l.name}));
		plan.gone.add(l.name);
	}
	const underlay = new Map<string | undefined, string[]>();
	for (const [name, x] of desired.vxlans) {
		const have = haveAll.get(name);
		if (have && have.group === String(TAG)) {
			if (!have.up) {
				plan.vrouterAdd.push(`link set dev ${name} up`);
				plan.changes.push(change({op: '~', what: 'link', object: `${desired.vrouter}/${name}`, expected: 'up', seen: 'down', detail: `${name} up`}));
			}
			continue;
		}
		if (have) {
			plan.vrouterDel.push(`link del dev ${name}`);
			plan.gone.add(name);
		}
		const lines = underlay.get(x.underlayNs) ?? [];
		// made in the vrouter by a process in the underlay, whose namespace keeps the UDP socket: ~3 ms, where making it
		// in the underlay and moving it (`link set netns`) waited ~20 ms for the kernel
		lines.push(`link add ${name} netns ${desired.vrouter} address ${x.mac} mtu ${x.mtu} group ${TAG} type vxlan id ${x.vni} local ${x.local} dstport ${VXLAN_PORT} nolearning`);
		underlay.set(x.underlayNs, lines);
		plan.vrouterAdd.push(`link set dev ${name} up`);
		plan.changes.push(change({op: '+', what: 'link', object: `${desired.vrouter}/${name}`, expected: `vxlan ${x.vni}`, seen: have ? 'untagged device' : '', detail: `${name} vxlan ${x.vni} local ${x.local}${x.underlayNs ? ` (socket in ${x.underlayNs})` : ''}`}));
		plan.fresh.add(name);
	}
	for (const [namespace, lines] of underlay) plan.underlay.push({namespace, lines});
	return plan;
}

export type EntriesPlan = Pick<OverlayPlan, 'vrouterDel' | 'vrouterAdd' | 'bridge' | 'changes'>;

/** Neighbours and forwarding entries of the VXLAN devices; `gone` and `fresh` devices come from planVxlans. */
export function planOverlayEntries(desired: Desired, vr: VrouterState | undefined, prefix: string, gone: ReadonlySet<string>, fresh: ReadonlySet<string>): EntriesPlan {
	const plan: EntriesPlan = {vrouterDel: [], vrouterAdd: [], bridge: [], changes: []};
	const dev = (x: string) => x.split(' ')[0]!;
	const haveNeigh = new Set((vr?.neighs ?? []).filter(x => desired.vxlans.has(dev(x)) || isVxlanIf(prefix, dev(x))));
	for (const x of haveNeigh) {
		const [d, addr] = x.split(' ');
		if (desired.neighs.has(x) && !gone.has(d!)) continue;
		if (desired.vxlans.has(d!) && !gone.has(d!)) plan.vrouterDel.push(`neigh del ${addr} dev ${d}`);
		plan.changes.push(change({op: '-', what: 'neigh', object: `${desired.vrouter}/${d} ${addr}`, expected: '', seen: x, detail: `${addr} dev ${d}`}));
	}
	for (const x of desired.neighs) {
		const [d, addr, mac] = x.split(' ');
		if (haveNeigh.has(x) && !gone.has(d!) && !fresh.has(d!)) continue;
		plan.vrouterAdd.push(`neigh replace ${addr} lladdr ${mac} dev ${d} nud permanent`);
		plan.changes.push(change({op: '+', what: 'neigh', object: `${desired.vrouter}/${d} ${addr}`, expected: `lladdr ${mac}`, seen: '', detail: `${addr} lladdr ${mac} dev ${d}`}));
	}
	const haveFdb = new Set((vr?.fdb ?? []).filter(x => desired.vxlans.has(dev(x))));
	for (const x of haveFdb) {
		if (desired.fdb.has(x)) continue;
		const [d, mac, dst] = x.split(' ');
		plan.bridge.unshift(`fdb del ${mac} dev ${d} dst ${dst} self`);
		plan.changes.push(change({op: '-', what: 'fdb', object: `${desired.vrouter}/${d} ${dst}`, expected: '', seen: x, detail: `${mac} dst ${dst} dev ${d}`}));
	}
	for (const x of desired.fdb) {
		const [d, mac, dst] = x.split(' ');
		if (haveFdb.has(x) && !fresh.has(d!)) continue;
		plan.bridge.push(`fdb append ${mac} dev ${d} dst ${dst} self permanent`);
		plan.changes.push(change({op: '+', what: 'fdb', object: `${desired.vrouter}/${d} ${dst}`, expected: mac!, seen: '', detail: `${mac} dst ${dst} dev ${d}`}));
	}
	return plan;
}
