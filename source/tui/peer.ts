// `explain APP PEER` as the console shows it: two legs, the request (APP → PEER) and the reply (PEER → APP), each
// looked up in the VRF its sender's default route enters, with the target that would fix a missing one.
// The core's own answer (provision's explainPeer, with the kernel asked too) is used where the backend has it; this
// module composes the resolver's answer from per-VRF explanations for a backend that does not (an older agent).
import type {Explanation} from '../core/explain.js';
import type {Snapshot, SnapshotApp} from '../provision/snapshot.js';
import type {Line} from '../provision/text.js';

export type PeerLeg = {
	readonly direction: 'request' | 'reply';
	readonly from: string;
	readonly to: string;
	readonly vrf: string;
	/** the route the leg uses, as the core gives it (text or an object) */
	readonly route: unknown;
	readonly ok: boolean;
	readonly fix?: string;
	/** the kernel's own answer, when it was asked */
	readonly kernel?: unknown;
};

export type PeerExplanation = {readonly app: string; readonly peer: string; readonly address: string; readonly reachable: boolean; readonly legs: readonly PeerLeg[]};

type Explain = (network: string, prefix: string) => Explanation | Promise<Explanation>;

const sendIface = (a: SnapshotApp) => a.ifaces.find(i => i.role === 'out') ?? a.ifaces.find(i => i.role === 'in')!;
const fixOf = (e: Explanation) => e.lines.find(l => l.startsWith('to bring it in: '))?.slice('to bring it in: '.length);

async function leg(direction: PeerLeg['direction'], from: string, to: string, vrf: string, explain: Explain): Promise<PeerLeg> {
	const e = await explain(vrf, to);
	const ok = Boolean(e.via);
	const route = e.via ? `${e.via.prefix} (${e.via.origin.kind})` : 'none: the unreachable default';
	const fix = ok ? undefined : fixOf(e);
	return {direction, from, to, vrf, route, ok, ...(fix ? {fix} : {})};
}

/** Both legs from the resolver alone (no kernel answer): for backends without the core's explainPeer. */
export async function composePeer(snap: Snapshot, app: string, peer: string, explain: Explain): Promise<PeerExplanation> {
	const a = snap.apps.find(x => x.name === app);
	if (!a) throw new Error(`unknown app '${app}'`);
	const p = snap.apps.find(x => x.name === peer);
	const address = p ? p.ifaces.find(i => i.role === 'in')!.address : peer;
	if (!p && !/^\d+\.\d+\.\d+\.\d+$/.test(peer)) throw new Error(`'${peer}' is neither an IPv4 address nor a bound app`);
	const src = sendIface(a);
	const legs = [await leg('request', `${app} ${src.address}`, address, a.defaultVia, explain)];
	if (p) legs.push(await leg('reply', `${peer} ${address}`, src.address, p.defaultVia, explain));
	return {app, peer, address, reachable: legs.every(l => l.ok) && legs.length === 2, legs};
}

const show = (x: unknown): string => (x === undefined || x === null ? '-' : typeof x === 'string' ? x : JSON.stringify(x));

/** The explanation as lines: one block per leg, the fix where a leg is missing. */
export function peerLines(e: PeerExplanation): Line[] {
	const lines: Line[] = [{text: `${e.app} ↔ ${e.peer}${e.peer === e.address ? '' : ` (${e.address})`}: ${e.reachable ? 'reachable both ways' : 'NOT reachable'}`, tone: e.reachable ? 'good' : 'bad'}];
	for (const l of e.legs) {
		lines.push({text: ''});
		lines.push({text: `${l.direction === 'request' ? 'request' : 'reply  '}  ${l.from} → ${l.to}   VRF ${l.vrf}: ${l.ok ? 'ok' : 'MISSING'}`, tone: l.ok ? 'good' : 'bad'});
		lines.push({text: `  route   ${show(l.route)}`});
		if (l.kernel !== undefined) lines.push({text: `  kernel  ${show(l.kernel)}`, tone: 'dim'});
		if (l.fix) lines.push({text: `  fix     ${l.fix}`, tone: 'warn'});
	}
	if (e.legs.length < 2) lines.push({text: '', tone: 'dim'}, {text: 'the reply leg from an address outside nsdeck is not known here', tone: 'dim'});
	return lines;
}
