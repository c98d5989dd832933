// `nsdeck lab up|down`: emulated hosts on this machine (plan.ts), each with its gobgpd and its agent in its underlay
// namespace; two route reflectors; optionally a gateway router that is not nsdeck (BIRD, gateway.ts). Every daemon is
// started with execa (dataplane/daemon.ts) and recorded in lab.json, so `lab down` stops exactly what `lab up` made.
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fail, OperationError} from '../core/errors.js';
import {UNDERLAY_MTU, nthBlock} from '../core/overlay.js';
import {daemonAlive, startDaemon, stopDaemon} from '../dataplane/daemon.js';
import {ipBatch} from '../dataplane/ip.js';
import {listNamespaces} from '../dataplane/read.js';
import {bindAll} from '../provision/apps.js';
import {openContext, type Context} from '../provision/context.js';
import {agentCredentials, agentToken, agentTokenPath} from '../provision/credentials.js';
import {addExternalRoute} from '../provision/externals.js';
import {setHost} from '../provision/host.js';
import {createNetworks} from '../provision/networks.js';
import {requireRoot} from '../provision/operation.js';
import {intentOf} from '../provision/reads.js';
import {readAgentStatus} from '../provision/sync-status.js';
import {editTarget} from '../provision/targets.js';
import {vtepMac} from '../core/overlay.js';
import {birdConfig, runGatewayPlane} from './gateway.js';
import {agentUrl, gobgpConfig, type Lab, type LabEnv, type LabHost, type LabRouter, labPlan, type PlanOptions, UNDERLAY} from './plan.js';

export {HOSTS_MAX, labEnv, labPlan, type Lab, type LabEnv, type LabHost} from './plan.js';

const labFile = (dir: string) => join(dir, 'lab.json');

export function readLab(dir: string): Lab | undefined {
	try {
		return JSON.parse(readFileSync(labFile(dir), 'utf8')) as Lab;
	} catch {
		return undefined;
	}
}

function save(lab: Lab): void {
	writeFileSync(labFile(lab.dir), JSON.stringify(lab, null, 2) + '\n', {mode: 0o600});
}

export function hostEnv(h: LabHost, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	return {...env, NSDECK_STATE_DIR: h.stateDir, NSDECK_NS_PREFIX: h.prefix};
}

/** Starts the gobgpd of a host (or of a reflector) in its namespace, with its configuration written beside lab.json. */
export async function startGobgpd(lab: Lab, who: LabHost | LabRouter): Promise<number> {
	const host = 'vtep' in who;
	const self = host ? who.vtep : who.address;
	const peers = host
		? lab.reflectors.map(r => ({address: r.address, rtc: lab.rtc}))
		: [...lab.hosts.map(h => ({address: h.vtep, rtc: lab.rtc})), ...(lab.gateway ? [{address: lab.gateway.address, rtc: false}] : [])];
	const conf = join(lab.dir, `${who.name}.toml`);
	writeFileSync(conf, gobgpConfig(self, peers, !host));
	const d = await startDaemon({
		name: `gobgpd of ${who.name}`, command: 'gobgpd', namespace: host ? who.underlayNs : who.namespace, log: join(lab.dir, `${who.name}.gobgpd.log`),
		args: ['-f', conf, '--api-hosts', `127.0.0.1:${who.grpcPort}`, '--pprof-disable', '-p', '-l', 'info'],
	});
	return d.pid;
}

export async function startAgent(lab: Lab, h: LabHost, cli: string): Promise<number> {
	const d = await startDaemon({
		name: `agent of ${h.name}`, command: process.execPath, namespace: h.underlayNs, log: join(lab.dir, `${h.name}.agent.log`), env: hostEnv(h),
		args: [cli, 'agent', '--metrics-port', String(h.metricsPort)],
	});
	return d.pid;
}

export type UpOptions = PlanOptions & {networks: number; apps: number; hostNetworks?: number; empty: boolean; cli: string; progress: (line: string) => void; wait: boolean};

async function until(what: string, deadline: number, check: () => boolean | Promise<boolean>): Promise<void> {
	while (!(await check())) {
		if (Date.now() > deadline) throw new OperationError(`lab: timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 100));
	}
}

/** Creates the namespaces and links of the underlay: a switch (a bridge) and a leg for every host and router. */
async function underlay(lab: Lab): Promise<void> {
	const legs = [
		...lab.hosts.map(h => ({ns: h.underlayNs, address: h.vtep, port: `h${h.index}`})),
		...lab.reflectors.map(r => ({ns: r.namespace, address: r.address, port: r.name})),
		...(lab.gateway ? [{ns: lab.gateway.namespace, address: lab.gateway.address, port: lab.gateway.name}] : []),
	];
	await ipBatch(undefined, [`netns add ${lab.switchNs}`, ...legs.map(l => `netns add ${l.ns}`)]);
	await ipBatch(lab.switchNs, [
		'link set lo up',
		`link add br0 mtu ${UNDERLAY_MTU} type bridge`,
		'link set br0 up',
		...legs.flatMap(l => [`link add ${l.port} mtu ${UNDERLAY_MTU} type veth peer name ul0 netns ${l.ns} mtu ${UNDERLAY_MTU}`, `link set ${l.port} master br0 up`]),
	]);
	await Promise.all(legs.map(l => ipBatch(l.ns, ['link set lo up', `addr add ${l.address}/24 dev ul0`, 'link set ul0 up'])));
}

/** The gateway's namespace: its internet (veth pairs inside it, since this kernel has no dummy device) and its VXLAN leg. */
async function gatewayNamespace(lab: Lab): Promise<void> {
	const g = lab.gateway!;
	await ipBatch(g.namespace, [
		...g.internet.flatMap((a, k) => [`link add ext${k} type veth peer name ext${k}p`, `link set ext${k} up`, `link set ext${k}p up`, `addr add ${a} dev ext${k}`]),
		// one device for every VNI (collect metadata): a route's `encap ip id VNI dst VTEP` picks the tunnel
		`link add vxgw address ${vtepMac(g.address)} mtu 1500 type vxlan external dstport 4789 local ${g.address} nolearning`,
		'link set vxgw up',
	]);
	await ipBatch(undefined, [`netns exec ${g.namespace} sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.vxgw.rp_filter=0`]);
}

async function startGateway(lab: Lab, cli: string, env: NodeJS.ProcessEnv): Promise<void> {
	const g = lab.gateway!;
	writeFileSync(g.config, birdConfig(lab, g));
	g.pid = (await startDaemon({name: `BIRD of ${g.name}`, command: 'bird', namespace: g.namespace, log: join(lab.dir, `${g.name}.bird.log`), args: ['-f', '-c', g.config, '-s', g.control]})).pid;
	await until(`BIRD's control socket ${g.control}`, Date.now() + 10_000, () => existsSync(g.control));
	g.fibPid = (await startDaemon({name: `forwarding plane of ${g.name}`, command: process.execPath, namespace: g.namespace, log: join(lab.dir, `${g.name}.fib.log`), env, args: [cli, 'lab', 'gateway']})).pid;
}

/** Builds N emulated hosts on this machine: an underlay, route reflectors, a gobgpd and an agent per host, content. */
export async function labUp(e: LabEnv, o: UpOptions): Promise<Lab> {
	requireRoot();
	if (readLab(e.dir)) fail(`a lab is already up in ${e.dir} (run 'nsdeck lab down' first)`);
	const lab = labPlan(e, o);
	const taken = [...listNamespaces()].filter(n => n.startsWith(e.prefix));
	if (taken.length > 0) fail(`namespaces with the lab prefix '${e.prefix}' exist already (${taken.slice(0, 3).join(', ')}); run 'nsdeck lab down' or set NSDECK_LAB_PREFIX`);
	mkdirSync(e.dir, {recursive: true, mode: 0o700});
	save(lab);
	const step = (n: number, text: string) => o.progress(`[lab ${n}/6] ${text}`);
	const t0 = Date.now();
	const h1 = lab.hosts[0];

	step(1, `underlay: switch ${lab.switchNs}, ${o.hosts} hosts, ${lab.reflectors.length} route reflector${lab.reflectors.length > 1 ? 's' : ''}${lab.gateway ? `, gateway ${lab.gateway.name}` : ''} (${UNDERLAY}.0/24, MTU ${UNDERLAY_MTU})`);
	await underlay(lab);
	if (lab.gateway) await gatewayNamespace(lab);

	step(2, `route reflectors ${lab.reflectors.map(r => r.address).join(' and ')}, a gobgpd per host${lab.rtc ? ' (route-target constraint on)' : ''}`);
	for (const r of lab.reflectors) r.pid = await startGobgpd(lab, r);
	await Promise.all(lab.hosts.map(async h => void (h.gobgpPid = await startGobgpd(lab, h))));
	save(lab);

	step(3, 'host settings in each store: VTEP, gobgpd, agent port, the other hosts\' agents (https, pinned certificates)');
	const contexts = new Map<string, Context>();
	const fingerprints = new Map<string, string>();
	for (const h of lab.hosts) {
		const ctx = openContext(hostEnv(h));
		contexts.set(h.name, ctx);
		// made now rather than by the agent, so every host pins every other's certificate before any agent starts
		agentToken(ctx.dir);
		fingerprints.set(h.name, agentCredentials(ctx.dir, {name: h.name, addresses: [h.vtep]}).fingerprint);
	}
	const g = lab.gateway;
	for (const h of lab.hosts) {
		const others = lab.hosts.filter(x => x !== h);
		await setHost(contexts.get(h.name)!, {
			name: h.name, vtep: h.vtep, control: 'gobgp', gobgp: `127.0.0.1:${h.grpcPort}`, underlayNs: h.underlayNs, agentPort: String(h.agentPort),
			peers: others.map(x => `${x.name}=${x.vtep}`),
			agents: others.map(x => `${x.name}=${agentUrl(x)}`),
			agentTokens: others.map(x => `${x.name}=${agentTokenPath(x.stateDir)}`),
			agentFingerprints: others.map(x => `${x.name}=${fingerprints.get(x.name)}`),
			...(g ? {gateways: [`${g.name}=${g.address}`], gatewayVnis: [`${g.name}=${g.label}:${g.vni}`]} : {}),
		});
	}

	step(4, `an agent per host (HTTPS on its underlay address)${g ? `; BIRD as gateway ${g.name} (${g.address}, label ${g.label} = VNI ${g.vni}, target ${g.target})` : ''}`);
	await Promise.all(lab.hosts.map(async h => void (h.agentPid = await startAgent(lab, h, o.cli))));
	if (g) await startGateway(lab, o.cli, {...process.env, NSDECK_LAB_DIR: e.dir, NSDECK_LAB_PREFIX: e.prefix, NSDECK_LAB_PORT: String(e.port)});
	save(lab);

	try {
		if (!o.empty) {
			const nets = o.networks;
			const per = Math.min(o.hostNetworks ?? nets, nets);
			step(5, `${nets} network${nets === 1 ? '' : 's'}${per < nets ? `, ${per} on each host` : ' on every host'} (a block of each per host), ${o.apps} app${o.apps === 1 ? '' : 's'} per network${h1 && nets >= 2 && nets <= 3 ? ', a gateway on h1' : ''}`);
			// a /22 per network, cut in as many blocks as there are hosts (at least 16 of /26)
			const blockLength = 22 + Math.max(4, Math.ceil(Math.log2(lab.hosts.length)));
			const names = nets <= 3 ? ['blue', 'red', 'green'].slice(0, nets) : Array.from({length: nets}, (_, k) => `n${k + 1}`);
			// with --host-networks K, host i carries K networks, spread so that each network lands on about as many hosts
			const carried = (h: LabHost) => (per >= nets ? names : Array.from({length: per}, (_, j) => names[((h.index - 1) * per + j) % nets]!));
			for (const h of lab.hosts) {
				const ctx = contexts.get(h.name)!;
				await createNetworks(ctx, carried(h).map(name => {
					const k = names.indexOf(name);
					const subnet = nets <= 3 ? `10.${10 * (k + 1)}.0.0/16` : `10.${Math.floor(k / 64) + 100}.${(k % 64) * 4}.0/22`;
					const block = nets <= 3 ? nthBlock(subnet, 24, h.index - 1) : nthBlock(subnet, blockLength, h.index - 1);
					return {name, subnet, block};
				}));
			}
			// apps spread over the hosts round robin (each on a host carrying its network), bound per host in one operation
			for (const h of lab.hosts) {
				const mine = new Set(carried(h));
				const reqs = names.filter(n => mine.has(n)).flatMap(net => Array.from({length: o.apps}, (_, a) => a)
					.filter(a => (per >= nets ? a % o.hosts === h.index - 1 : true))
					.map(a => ({app: nets <= 3 ? `${net}${per >= nets ? a + 1 : `${a + 1}h${h.index}`}` : `${net}a${a + 1}h${h.index}`, network: net})));
				if (reqs.length > 0) await bindAll(contexts.get(h.name)!, reqs);
				if (lab.hosts.length <= 9) o.progress(`  ${h.name}: ${reqs.length} apps bound`);
			}
			if (h1 && nets >= 2 && nets <= 3) {
				// red imports blue's routes (import-only) everywhere and blue imports red's: the two talk across hosts
				const auto = (ctx: Context, name: string) => intentOf(ctx).networks.find(n => n.name === name)!.targets.find(t => t.auto)!.rt;
				for (const h of lab.hosts) {
					const ctx = contexts.get(h.name)!;
					await editTarget(ctx, {network: 'red', rt: auto(ctx, 'blue'), direction: 'import', remove: false});
					await editTarget(ctx, {network: 'blue', rt: auto(ctx, 'red'), direction: 'import', remove: false});
				}
				const c1 = contexts.get(h1.name)!;
				await addExternalRoute(c1, {prefix: '0.0.0.0/0', targets: ['64512:999'], via: '203.0.113.1'});
				await editTarget(c1, {network: 'red', rt: '64512:999', direction: 'import', remove: false});
			}
		} else step(5, 'no content (--empty)');
	} finally {
		for (const c of contexts.values()) c.close();
	}
	const bound = Date.now();
	if (o.wait) {
		step(6, 'waiting for every BGP session and every agent in sync');
		await until('BGP sessions and agents', Date.now() + 90_000, () =>
			lab.hosts.every(h => {
				const s = readAgentStatus(h.stateDir);
				return s?.connected === true && s.sessions.filter(x => x.state === 'ESTABLISHED').length === lab.reflectors.length;
			}),
		);
	} else step(6, 'not waiting for BGP (--no-wait)');
	o.progress(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s (content done at ${((bound - t0) / 1000).toFixed(1)} s); state in ${lab.dir}`);
	return lab;
}

/** Every pid the lab started, for `lab down` and for tests that must leave nothing running. */
export function labPids(lab: Lab): number[] {
	return [...lab.hosts.flatMap(h => [h.agentPid, h.gobgpPid]), ...lab.reflectors.map(r => r.pid), lab.gateway?.pid, lab.gateway?.fibPid].filter((p): p is number => Boolean(p));
}

/** The namespaces of a lab: switch, hosts' underlays, reflectors, gateway, and whatever its hosts' nsdeck made. */
export function labNamespace(prefix: string): RegExp {
	return new RegExp(`^${prefix.replace(/-/g, '\\-')}(sw|u\\d+|rr\\d+|gw\\d+|\\d+-.+)$`);
}

/** Removes every namespace, process and file the lab made. */
export async function labDown(e: LabEnv, progress: (line: string) => void): Promise<number> {
	requireRoot();
	const lab = readLab(e.dir);
	let removed = 0;
	if (lab) {
		const g = lab.gateway;
		progress(`[lab] stopping ${lab.hosts.length} agents, ${lab.hosts.length + lab.reflectors.length} gobgpd${g ? `, BIRD and the gateway's forwarding plane` : ''}`);
		await Promise.all([...lab.hosts.map(h => stopDaemon(h.agentPid)), stopDaemon(g?.fibPid)]);
		await Promise.all([...lab.hosts.map(h => stopDaemon(h.gobgpPid)), ...lab.reflectors.map(r => stopDaemon(r.pid)), stopDaemon(g?.pid)]);
		const left = labPids(lab).filter(daemonAlive);
		if (left.length > 0) progress(`[lab] still running: ${left.join(', ')}`);
	}
	// the lab's own names (with or without lab.json: a lab up that died early), and everything its hosts made
	const ours = labNamespace(e.prefix);
	const doomed = [...listNamespaces()].filter(n => ours.test(n));
	if (doomed.length > 0) {
		progress(`[lab] deleting ${doomed.length} namespaces`);
		await ipBatch(undefined, doomed.map(n => `netns del ${n}`), {force: true});
		removed += doomed.length;
	}
	if (existsSync(e.dir)) {
		rmSync(e.dir, {recursive: true, force: true});
		progress(`[lab] removed ${e.dir}`);
	}
	return removed;
}

/** `nsdeck lab gateway`: inside the gateway's namespace, until SIGTERM. */
export async function runGateway(e: LabEnv): Promise<void> {
	const lab = readLab(e.dir);
	if (!lab?.gateway) throw new OperationError(`no lab with a gateway in ${e.dir}`);
	const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
	const run = await runGatewayPlane(lab, (lines, force) => ipBatch(undefined, lines, {force}), log);
	log(`gateway ${lab.gateway.name}: forwarding from BIRD's table, TCP ${lab.gateway.tcpPort} on ${lab.gateway.internet.join(', ')}`);
	await new Promise<void>(resolve => {
		const stop = () => void run.stop().then(resolve);
		process.once('SIGTERM', stop);
		process.once('SIGINT', stop);
	});
}
