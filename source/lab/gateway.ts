// The lab's gateway router: BIRD 2 (not nsdeck) in its own namespace, peering L3VPN with the route reflectors, with
// a VXLAN leg on the underlay and an "internet" behind it. BIRD originates a default route and the internet's
// prefixes with the uplink target, label 900; nsdeck hosts map that label to the leg's VNI (host set --gateway-vni).
//
// BIRD 2.0.12 learns the hosts' VPN routes but cannot install them (no VRF device and no MPLS in this kernel, and no
// l3vpn protocol before BIRD 2.14), so the lab stands in for the gateway's forwarding plane: `nsdeck lab gateway`
// reads BIRD's VPN table through its control socket and routes the replies to each app into the tunnel the app's
// route names (its next hop and its label as the VNI), on one VXLAN device in external (collect-metadata) mode. It
// also answers TCP on the internet's addresses.
import {createConnection, createServer} from 'node:net';
import {vtepMac} from '../core/overlay.js';
import {AS, type Lab, type LabGateway} from './plan.js';

const rd = (g: LabGateway) => `${g.address}:${g.label}`;

/** The internet's prefixes (a /24 per address) and the default route, as BIRD originates them. */
export function gatewayPrefixes(g: LabGateway): string[] {
	return ['0.0.0.0/0', ...g.internet.map(a => a.replace(/\.\d+\/24$/, '.0/24'))];
}

/** BIRD's configuration: router id, one VPN table, the static uplink routes, a session to each reflector. */
export function birdConfig(lab: Lab, g: LabGateway): string {
	const [asn, value] = g.target.split(':');
	const route = (prefix: string) => `\troute ${rd(g)} ${prefix} via ${g.address}%ul0 mpls ${g.label} onlink { bgp_ext_community.add((rt, ${asn}, ${value})); };`;
	return [
		`router id ${g.address};`,
		'log stderr all;',
		'vpn4 table vpntab4;',
		'protocol device {}',
		// the underlay's connected route, so next hops of the hosts' routes resolve (gateway recursive)
		'protocol direct { ipv4; interface "ul0"; }',
		`protocol static ${g.name}_uplink {`,
		'\tvpn4 { table vpntab4; };',
		...gatewayPrefixes(g).map(route),
		'}',
		...lab.reflectors.map(r => [
			`protocol bgp ${r.name} {`,
			`\tlocal ${g.address} as ${AS};`,
			`\tneighbor ${r.address} as ${AS};`,
			'\tstrict bind yes;',
			'\tconnect retry time 1;',
			'\thold time 9;',
			'\tkeepalive time 3;',
			'\tvpn4 mpls { table vpntab4; import all; export all; gateway recursive; igp table master4; };',
			'}',
		].join('\n')),
		'',
	].join('\n');
}

/** A VPNv4 route in BIRD's table as `show route table vpntab4 all` prints it. */
export type BirdRoute = {readonly rd: string; readonly prefix: string; readonly protocol: string; readonly nexthop: string; readonly label: number; readonly targets: readonly string[]};

/** Parses `show route table vpntab4 all` (birdc's text, with or without the socket's 4-digit codes). */
export function parseBirdRoutes(text: string): BirdRoute[] {
	const out: BirdRoute[] = [];
	let cur: {rd: string; prefix: string; protocol: string; nexthop: string; label: number; targets: string[]} | undefined;
	const flush = () => {
		if (cur) out.push(cur);
		cur = undefined;
	};
	for (const raw of text.split('\n')) {
		const line = raw.replace(/^\d{4}[- ]/, '');
		const head = /^(\S+:\d+) (\d+\.\d+\.\d+\.\d+\/\d+)\s+unicast \[(\S+)/.exec(line);
		if (head) {
			flush();
			cur = {rd: head[1]!, prefix: head[2]!, protocol: head[3]!, nexthop: '', label: 0, targets: []};
			continue;
		}
		if (!cur) continue;
		const via = /^\s+via (\S+) on \S+(?: mpls (\d+))?/.exec(line);
		if (via) {
			cur.nexthop = via[1]!;
			cur.label = Number(via[2] ?? 0);
		}
		const ext = /BGP\.ext_community: (.*)$/.exec(line);
		if (ext) for (const m of ext[1]!.matchAll(/\(rt, (\d+), (\d+)\)/g)) cur.targets.push(`${m[1]}:${m[2]}`);
	}
	flush();
	return out;
}

/**
 * The gateway's kernel routes back to the apps: each VPN route BIRD learned from a reflector (not its own static
 * ones) becomes `PREFIX via NEXTHOP dev vxgw onlink encap ip id LABEL dst NEXTHOP`, with the next hop a permanent
 * neighbour at its VTEP MAC. One route per prefix: the lowest RD wins, as in nsdeck's resolver.
 */
export function fibLines(routes: readonly BirdRoute[], reflectors: readonly string[]): Map<string, string> {
	const best = new Map<string, BirdRoute>();
	for (const r of routes) {
		if (!reflectors.includes(r.protocol) || !r.nexthop || r.label < 1) continue;
		const had = best.get(r.prefix);
		if (!had || r.rd < had.rd) best.set(r.prefix, r);
	}
	const lines = new Map<string, string>();
	for (const r of best.values()) {
		lines.set(`neigh ${r.nexthop}`, `neigh replace ${r.nexthop} lladdr ${vtepMac(r.nexthop)} dev vxgw nud permanent`);
		lines.set(`route ${r.prefix}`, `route replace ${r.prefix} via ${r.nexthop} dev vxgw onlink encap ip id ${r.label} dst ${r.nexthop}`);
	}
	return lines;
}

/** One command to BIRD's control socket; resolves with its answer (without the greeting). */
export function birdCommand(socket: string, command: string, timeoutMs = 3000): Promise<string> {
	return new Promise((resolve, reject) => {
		const c = createConnection(socket);
		let buf = '';
		let greeted = false;
		const timer = setTimeout(() => {
			c.destroy();
			reject(new Error(`BIRD at ${socket}: no answer in time`));
		}, timeoutMs);
		c.on('error', e => {
			clearTimeout(timer);
			reject(e);
		});
		c.on('data', (d: Buffer) => {
			buf += d.toString();
			if (!greeted) {
				const nl = buf.indexOf('\n');
				if (nl < 0) return;
				greeted = true;
				buf = buf.slice(nl + 1);
				c.write(command + '\n');
			}
			// the answer ends with a line whose 4-digit code is followed by a space
			if (/(^|\n)\d{4} [^\n]*\n$/.test(buf)) {
				clearTimeout(timer);
				c.end();
				resolve(buf);
			}
		});
	});
}

export type GatewayRun = {stop(): Promise<void>};

/**
 * Runs inside the gateway's namespace until stopped: keeps its kernel's routes back to the apps equal to BIRD's
 * table (read every `everyMs`), and answers TCP on the internet's addresses with one line naming the gateway.
 */
export async function runGatewayPlane(lab: Lab, apply: (lines: string[], force: boolean) => Promise<void>, log: (line: string) => void, everyMs = 200): Promise<GatewayRun> {
	const g = lab.gateway!;
	const servers = await Promise.all(g.internet.map(a => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
		const address = a.split('/')[0]!;
		const s = createServer(c => c.end(`${g.name} ${address}\n`));
		s.once('error', reject);
		s.listen(g.tcpPort, address, () => resolve(s));
	})));
	const applied = new Map<string, string>();
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	const reflectors = lab.reflectors.map(r => r.name);
	const tick = async () => {
		try {
			const want = fibLines(parseBirdRoutes(await birdCommand(g.control, 'show route table vpntab4 all')), reflectors);
			const add = [...want].filter(([k, l]) => applied.get(k) !== l).map(([, l]) => l);
			const del = [...applied.keys()].filter(k => !want.has(k) && k.startsWith('route ')).map(k => `route del ${k.slice(6)} dev vxgw`);
			if (add.length + del.length > 0) {
				await apply(del, true);
				await apply(add.sort((a, b) => (a.startsWith('neigh') ? -1 : 0) - (b.startsWith('neigh') ? -1 : 0)), false);
				for (const k of [...applied.keys()]) if (!want.has(k) && k.startsWith('route ')) applied.delete(k);
				for (const [k, l] of want) applied.set(k, l);
				log(`gateway routes: +${add.length} -${del.length} (${[...applied.keys()].filter(k => k.startsWith('route ')).length} in all)`);
			}
		} catch (e) {
			log(`gateway routes: ${(e as Error).message}`);
		}
		if (!stopped) timer = setTimeout(() => void tick(), everyMs);
	};
	await tick();
	return {
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await Promise.all(servers.map(s => new Promise(r => s.close(() => r(undefined)))));
		},
	};
}
