// What a lab is, computed without I/O: the emulated hosts, the route reflectors and the gateway router, each a
// network namespace on one underlay switch (192.168.100.0/24), with their addresses and ports, and gobgpd's
// configurations. An emulated host is its underlay namespace: its gobgpd and its agent run there, its BGP sessions
// and its agent's API use its underlay address, as they would between machines.
import {join} from 'node:path';
import {fail} from '../core/errors.js';
import {stateDir} from '../store/open.js';

export const UNDERLAY = '192.168.100';
/** Route reflectors take the top of the underlay, the gateway router .200; hosts .1 to .199. */
export const RR_ADDRESSES = [`${UNDERLAY}.253`, `${UNDERLAY}.254`] as const;
export const GATEWAY_ADDRESS = `${UNDERLAY}.200`;
export const HOSTS_MAX = 199;
export const AS = 64512;

export type LabHost = {
	readonly name: string;
	readonly index: number;
	readonly prefix: string;
	readonly stateDir: string;
	readonly underlayNs: string;
	readonly vtep: string;
	readonly grpcPort: number;
	readonly agentPort: number;
	readonly metricsPort: number;
	gobgpPid?: number;
	agentPid?: number;
};

export type LabRouter = {readonly name: string; readonly namespace: string; readonly address: string; readonly grpcPort: number; pid?: number};

/** The gateway router that is not nsdeck (BIRD): its label for the uplink routes and the VNI of its VXLAN leg. */
export type LabGateway = {
	readonly name: string;
	readonly kind: 'bird';
	readonly namespace: string;
	readonly address: string;
	readonly target: string;
	readonly label: number;
	readonly vni: number;
	/** the "internet" behind it: addresses on interfaces in its namespace, answering ping and TCP */
	readonly internet: readonly string[];
	readonly tcpPort: number;
	readonly control: string;
	readonly config: string;
	pid?: number;
	/** the lab's stand-in for the gateway's forwarding plane (see gateway.ts) */
	fibPid?: number;
};

export type Lab = {
	readonly prefix: string;
	readonly dir: string;
	readonly switchNs: string;
	readonly rtc: boolean;
	readonly reflectors: LabRouter[];
	readonly hosts: LabHost[];
	readonly gateway?: LabGateway;
};

export type LabEnv = {prefix: string; dir: string; port: number};

/** NSDECK_LAB_PREFIX (namespace prefix, at most 6 characters), NSDECK_LAB_DIR, NSDECK_LAB_PORT (port base). */
export function labEnv(env: NodeJS.ProcessEnv = process.env): LabEnv {
	const prefix = env.NSDECK_LAB_PREFIX ?? 'lab-';
	if (!/^[a-z0-9-]{1,6}$/.test(prefix)) fail(`invalid NSDECK_LAB_PREFIX '${prefix}': 1 to 6 characters of a-z, 0-9 and '-'`);
	const port = Number(env.NSDECK_LAB_PORT ?? '50100');
	if (!Number.isInteger(port) || port < 1024 || port > 64_900) fail(`invalid NSDECK_LAB_PORT '${env.NSDECK_LAB_PORT}': 1024-64900`);
	return {prefix, dir: env.NSDECK_LAB_DIR ?? `${stateDir(env)}-lab`, port};
}

/** How many hosts a lab prefix leaves room for: a host's NSDECK_NS_PREFIX (`<lab prefix><i>-`) is at most 8 characters. */
export function hostsRoom(prefix: string): number {
	const digits = 8 - prefix.length - 1;
	return Math.min(HOSTS_MAX, 10 ** Math.max(0, digits) - 1);
}

export type PlanOptions = {hosts: number; reflectors: number; rtc: boolean; gateway?: 'bird'};

export function labPlan(e: LabEnv, o: PlanOptions): Lab {
	const room = hostsRoom(e.prefix);
	if (o.hosts > room) fail(`--hosts ${o.hosts}: the lab prefix '${e.prefix}' leaves room for ${room} hosts (a shorter NSDECK_LAB_PREFIX leaves more)`);
	const reflectors = Array.from({length: o.reflectors}, (_, k): LabRouter => ({name: `rr${k + 1}`, namespace: `${e.prefix}rr${k + 1}`, address: RR_ADDRESSES[k]!, grpcPort: e.port + 200 * k}));
	const hosts = Array.from({length: o.hosts}, (_, k): LabHost => {
		const i = k + 1;
		return {
			name: `h${i}`,
			index: i,
			prefix: `${e.prefix}${i}-`,
			stateDir: join(e.dir, `h${i}`),
			underlayNs: `${e.prefix}u${i}`,
			vtep: `${UNDERLAY}.${i}`,
			grpcPort: e.port + i,
			agentPort: e.port + 200 + i,
			metricsPort: e.port + 400 + i,
		};
	});
	const gateway: LabGateway | undefined = o.gateway
		? {
				name: 'gw1', kind: 'bird', namespace: `${e.prefix}gw1`, address: GATEWAY_ADDRESS, target: `${AS}:900`, label: 900, vni: 9000,
				internet: ['198.51.100.1/24', '198.18.0.1/24'], tcpPort: 80, control: join(e.dir, 'gw1.bird.ctl'), config: join(e.dir, 'gw1.bird.conf'),
			}
		: undefined;
	return {prefix: e.prefix, dir: e.dir, switchNs: `${e.prefix}sw`, rtc: o.rtc, reflectors, hosts, ...(gateway ? {gateway} : {})};
}

function neighbor(address: string, local: string, o: {client: boolean; rtc: boolean}): string {
	return [
		'[[neighbors]]',
		'  [neighbors.config]',
		`    neighbor-address = "${address}"`,
		`    peer-as = ${AS}`,
		'  [neighbors.transport.config]',
		`    local-address = "${local}"`,
		...(o.client ? ['    passive-mode = true'] : []),
		'  [neighbors.timers.config]',
		'    connect-retry = 1',
		'    hold-time = 9',
		'    keepalive-interval = 3',
		...(o.client ? ['  [neighbors.route-reflector.config]', '    route-reflector-client = true', `    route-reflector-cluster-id = "${local}"`] : []),
		'  [[neighbors.afi-safis]]',
		'    [neighbors.afi-safis.config]',
		'      afi-safi-name = "l3vpn-ipv4-unicast"',
		// route-target constraint (RFC 4684): a host tells the reflectors which targets it imports
		...(o.rtc ? ['  [[neighbors.afi-safis]]', '    [neighbors.afi-safis.config]', '      afi-safi-name = "rtc"'] : []),
		'',
	].join('\n');
}

/**
 * gobgpd's configuration: iBGP, l3vpn-ipv4-unicast (and rtc). A host peers with every reflector; a reflector with
 * every host (as route-reflector clients, waiting for them to connect) and with the gateway router (no rtc: BIRD
 * 2.0 has none, so it is sent every route, as a site's gateway would be).
 */
export function gobgpConfig(self: string, peers: ReadonlyArray<{address: string; rtc: boolean}>, reflector: boolean): string {
	return [
		'[global.config]',
		`  as = ${AS}`,
		`  router-id = "${self}"`,
		'  port = 179',
		`  local-address-list = ["${self}"]`,
		'',
		...peers.map(p => neighbor(p.address, self, {client: reflector, rtc: p.rtc})),
	].join('\n');
}

/** The other hosts' agents as a host registers them: https on their underlay address, token file, certificate. */
export function agentUrl(h: LabHost): string {
	return `https://${h.vtep}:${h.agentPort}`;
}
