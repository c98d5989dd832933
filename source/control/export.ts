import {GATEWAY_VNI, gatewayDistinguisher, routeDistinguisher, vrfDistinguisher} from '../core/overlay.js';
import type {RouteTarget} from '../core/rt.js';
import type {Intent} from '../store/intent.js';
import type {LocalPath, VrfSpec} from './gobgp.js';

export type GobgpState = {readonly vrfs: ReadonlyMap<string, VrfSpec>; readonly paths: ReadonlyMap<string, LocalPath>};

export const pathKey = (p: {rd: string; prefix: string}) => `${p.rd} ${p.prefix}`;
export const pathSig = (p: LocalPath) => `${p.label} ${p.nexthop} ${p.targets.join(',')}`;
export const vrfSig = (v: VrfSpec) => `${v.rd} ${v.importRts.join(',')} ${v.exportRts.join(',')}`;

/**
 * What this host puts into gobgpd. gobgpd's DeleteVrf withdraws every local path carrying the VRF's RD, even one
 * added to the global table, and an import edit is a VRF delete + add; so the VRF shown to operators has an RD of its
 * own (VTEP:32768+id), never the RD of the paths (VTEP:id).
 *
 * What this host puts into gobgpd, computed from intent alone: a VRF per network (RD = VTEP:network id, so unique per
 * host and network) and each app /32 as a VPNv4 path in the global table with that RD, the network's export targets,
 * label = the network's VNI and next hop = the host's VTEP. A network exporting nothing originates nothing. External
 * routes go out too, with their targets and the gateway VNI as label.
 */
export function gobgpState(intent: Intent): GobgpState {
	const vrfs = new Map<string, VrfSpec>();
	const paths = new Map<string, LocalPath>();
	const host = intent.host;
	if (!host) return {vrfs, paths};
	const byName = new Map(intent.networks.map(n => [n.name, n]));
	for (const n of intent.networks) {
		const importRts = n.targets.filter(t => t.import).map(t => t.rt).sort() as RouteTarget[];
		const exportRts = n.targets.filter(t => t.export).map(t => t.rt).sort() as RouteTarget[];
		vrfs.set(n.name, {name: n.name, rd: vrfDistinguisher(host.vtep, n.id), importRts, exportRts});
	}
	for (const app of intent.apps) {
		for (const i of app.ifaces) {
			const n = byName.get(i.network)!;
			const v = vrfs.get(n.name)!;
			if (v.exportRts.length === 0) continue;
			const p: LocalPath = {rd: routeDistinguisher(host.vtep, n.id), prefix: `${i.address}/32`, label: n.vni, nexthop: host.vtep, targets: v.exportRts};
			paths.set(pathKey(p), p);
		}
	}
	// external routes (this host's gateway) with their own targets, label = the gateway VNI
	for (const e of intent.externals) {
		const p: LocalPath = {rd: gatewayDistinguisher(host.vtep), prefix: e.prefix, label: GATEWAY_VNI, nexthop: host.vtep, targets: [...e.targets].sort()};
		paths.set(pathKey(p), p);
	}
	return {vrfs, paths};
}
