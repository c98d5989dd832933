import {spawn, spawnSync} from 'node:child_process';
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {listNamespaces} from '../dataplane/read.js';
import {join} from 'node:path';
import {fail, OperationError} from '../core/errors.js';
import {UNDERLAY_MTU, nthBlock} from '../core/overlay.js';
import {ipBatch} from '../dataplane/ip.js';
import {bindAll} from '../provision/apps.js';
import {openContext, type Context} from '../provision/context.js';
import {addExternalRoute} from '../provision/externals.js';
import {agentToken, agentTokenPath, setHost} from '../provision/host.js';
import {createNetworks} from '../provision/networks.js';
import {requireRoot} from '../provision/operation.js';
import {editTarget} from '../provision/targets.js';
import {stateDir} from '../store/open.js';

export type LabHost = {
	readonly name: string;
	readonly index: number;
	readonly prefix: string;
	readonly stateDir: string;
	readonly underlayNs: string;
	readonly vtep: string;
	readonly bgp: string;
	readonly grpcPort: number;
	readonly agentPort: number;
	gobgpPid?: number;
	agentPid?: number;
};

export type Lab = {
	readonly prefix: string;
	readonly dir: string;
	readonly switchNs: string;
	readonly rr: {bgp: string; grpcPort: number; pid?: number};
	readonly hosts: LabHost[];
};

export type LabEnv = {prefix: string; dir: string; net: number; port: number};

/** NSDECK_LAB_PREFIX (namespace prefix, at most 6 characters), NSDECK_LAB_DIR, NSDECK_LAB_NET (127.77.N.x), NSDECK_LAB_PORT. */
export function labEnv(env: NodeJS.ProcessEnv = process.env): LabEnv {
	const prefix = env.NSDECK_LAB_PREFIX ?? 'lab-';
	if (!/^[a-z0-9-]{1,6}$/.test(prefix)) fail(`invalid NSDECK_LAB_PREFIX '${prefix}': 1 to 6 characters of a-z, 0-9 and '-'`);
	const net = Number(env.NSDECK_LAB_NET ?? '0');
	if (!Number.isInteger(net) || net < 0 || net > 255) fail(`invalid NSDECK_LAB_NET '${env.NSDECK_LAB_NET}': 0-255`);
	const port = Number(env.NSDECK_LAB_PORT ?? '50100');
	if (!Number.isInteger(port) || port < 1024 || port > 65000) fail(`invalid NSDECK_LAB_PORT '${env.NSDECK_LAB_PORT}': 1024-65000`);
	return {prefix, dir: env.NSDECK_LAB_DIR ?? `${stateDir(env)}-lab`, net, port};
}

export function labPlan(e: LabEnv, hosts: number): Lab {
	return {
		prefix: e.prefix,
		dir: e.dir,
		switchNs: `${e.prefix}sw`,
		rr: {bgp: `127.77.${e.net}.254`, grpcPort: e.port},
		hosts: Array.from({length: hosts}, (_, k) => {
			const i = k + 1;
			return {
				name: `h${i}`,
				index: i,
				prefix: `${e.prefix}${i}-`,
				stateDir: join(e.dir, `h${i}`),
				underlayNs: `${e.prefix}u${i}`,
				vtep: `192.168.100.${i}`,
				bgp: `127.77.${e.net}.${i}`,
				grpcPort: e.port + i,
				agentPort: e.port + 50 + i,
			};
		}),
	};
}

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

function neighbor(address: string, local: string, client: boolean): string {
	return [
		'[[neighbors]]',
		'  [neighbors.config]',
		`    neighbor-address = "${address}"`,
		'    peer-as = 64512',
		'  [neighbors.transport.config]',
		`    local-address = "${local}"`,
		'  [neighbors.timers.config]',
		'    connect-retry = 1',
		'    hold-time = 9',
		'    keepalive-interval = 3',
		...(client ? ['  [neighbors.route-reflector.config]', '    route-reflector-client = true', `    route-reflector-cluster-id = "${local}"`] : []),
		'  [[neighbors.afi-safis]]',
		'    [neighbors.afi-safis.config]',
		'      afi-safi-name = "l3vpn-ipv4-unicast"',
		'',
	].join('\n');
}

/** gobgpd's configuration: iBGP AS 64512, l3vpn-ipv4-unicast, hosts peer with the route reflector only. */
export function gobgpConfig(self: string, peers: readonly string[], reflector: boolean): string {
	return [
		'[global.config]',
		'  as = 64512',
		`  router-id = "${self}"`,
		'  port = 179',
		`  local-address-list = ["${self}"]`,
		'',
		...peers.map(p => neighbor(p, self, reflector)),
	].join('\n');
}

/** Starts a daemon detached (its own session), output to a log file; never through a shell. */
function daemon(command: string, args: readonly string[], log: string, env: NodeJS.ProcessEnv = process.env): number {
	const fd = openSync(log, 'a', 0o600);
	const child = spawn(command, args, {detached: true, stdio: ['ignore', fd, fd], env});
	closeSync(fd);
	child.unref();
	if (child.pid === undefined) throw new OperationError(`could not start ${command}`);
	return child.pid;
}

function alive(pid: number | undefined): boolean {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
	} catch {
		return false;
	}
}

async function stopPid(pid: number | undefined): Promise<void> {
	if (!alive(pid)) return;
	try {
		process.kill(pid!, 'SIGTERM');
	} catch {}
	for (let i = 0; i < 40 && alive(pid); i++) await new Promise(r => setTimeout(r, 50));
	if (alive(pid)) {
		try {
			process.kill(pid!, 'SIGKILL');
		} catch {}
	}
}

export function hostEnv(h: LabHost, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	return {...env, NSDECK_STATE_DIR: h.stateDir, NSDECK_NS_PREFIX: h.prefix};
}

export function startGobgpd(lab: Lab, h: LabHost | undefined): number {
	const self = h ? h.bgp : lab.rr.bgp;
	const name = h ? h.name : 'rr';
	const peers = h ? [lab.rr.bgp] : lab.hosts.map(x => x.bgp);
	const conf = join(lab.dir, `${name}.toml`);
	writeFileSync(conf, gobgpConfig(self, peers, !h));
	return daemon('gobgpd', ['-f', conf, '--api-hosts', `127.0.0.1:${h ? h.grpcPort : lab.rr.grpcPort}`, '--pprof-disable', '-p', '-l', 'info'], join(lab.dir, `${name}.gobgpd.log`));
}

export function startAgent(lab: Lab, h: LabHost, cli: string): number {
	return daemon(process.execPath, [cli, 'agent'], join(lab.dir, `${h.name}.agent.log`), hostEnv(h));
}

export type UpOptions = {hosts: number; networks: number; apps: number; empty: boolean; cli: string; progress: (line: string) => void; wait: boolean};

async function agentHealth(h: LabHost): Promise<{gobgp: boolean; remotes: number} | undefined> {
	try {
		const token = readFileSync(agentTokenPath(h.stateDir), 'utf8').trim();
		const r = await fetch(`http://127.0.0.1:${h.agentPort}/v1/health`, {headers: {authorization: `Bearer ${token}`}});
		return r.ok ? ((await r.json()) as {gobgp: boolean; remotes: number}) : undefined;
	} catch {
		return undefined;
	}
}

function established(port: number): number {
	const r = spawnSync('gobgp', ['-p', String(port), 'neighbor', '-j'], {encoding: 'utf8'});
	try {
		return (JSON.parse(r.stdout) as Array<{state?: {session_state?: number}}>).filter(p => p.state?.session_state === 6).length;
	} catch {
		return 0;
	}
}

async function until(what: string, deadline: number, check: () => boolean | Promise<boolean>): Promise<void> {
	while (!(await check())) {
		if (Date.now() > deadline) throw new OperationError(`lab: timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 100));
	}
}

/** Builds N emulated hosts on this machine: an underlay, a route reflector, a gobgpd and an agent per host, content. */
export async function labUp(e: LabEnv, o: UpOptions): Promise<Lab> {
	requireRoot();
	if (readLab(e.dir)) fail(`a lab is already up in ${e.dir} (run 'nsdeck lab down' first)`);
	const lab = labPlan(e, o.hosts);
	const taken = [...listNamespaces()].filter(n => n.startsWith(e.prefix));
	if (taken.length > 0) fail(`namespaces with the lab prefix '${e.prefix}' exist already (${taken.slice(0, 3).join(', ')}); run 'nsdeck lab down' or set NSDECK_LAB_PREFIX`);
	mkdirSync(e.dir, {recursive: true, mode: 0o700});
	save(lab);
	const step = (n: number, text: string) => o.progress(`[lab ${n}/6] ${text}`);
	const t0 = Date.now();

	step(1, `underlay: switch ${lab.switchNs}, ${o.hosts} host namespaces, MTU ${UNDERLAY_MTU}`);
	await ipBatch(undefined, [`netns add ${lab.switchNs}`, ...lab.hosts.map(h => `netns add ${h.underlayNs}`)]);
	await ipBatch(lab.switchNs, [
		'link set lo up',
		`link add br0 mtu ${UNDERLAY_MTU} type bridge`,
		'link set br0 up',
		...lab.hosts.flatMap(h => [`link add p${h.index} mtu ${UNDERLAY_MTU} type veth peer name ul0 netns ${h.underlayNs} mtu ${UNDERLAY_MTU}`, `link set p${h.index} master br0 up`]),
	]);
	for (const h of lab.hosts) await ipBatch(h.underlayNs, ['link set lo up', `addr add ${h.vtep}/24 dev ul0`, 'link set ul0 up']);

	step(2, `route reflector ${lab.rr.bgp} and a gobgpd per host`);
	lab.rr.pid = startGobgpd(lab, undefined);
	for (const h of lab.hosts) h.gobgpPid = startGobgpd(lab, h);
	save(lab);

	step(3, 'host settings (VTEP, gobgpd API, agent port, the other hosts\' agents) in each store');
	const contexts = new Map<string, Context>();
	for (const h of lab.hosts) {
		const ctx = openContext(hostEnv(h));
		contexts.set(h.name, ctx);
		// made now rather than by the agent, so every host's console knows where each token is before agents start
		agentToken(ctx.dir);
	}
	for (const h of lab.hosts) {
		const others = lab.hosts.filter(x => x !== h);
		await setHost(contexts.get(h.name)!, {
			name: h.name, vtep: h.vtep, control: 'gobgp', gobgp: `127.0.0.1:${h.grpcPort}`, underlayNs: h.underlayNs, agentPort: String(h.agentPort),
			peers: others.map(x => `${x.name}=${x.vtep}`),
			agents: others.map(x => `${x.name}=http://127.0.0.1:${x.agentPort}`),
			agentTokens: others.map(x => `${x.name}=${agentTokenPath(x.stateDir)}`),
		});
	}

	step(4, 'an agent per host');
	for (const h of lab.hosts) h.agentPid = startAgent(lab, h, o.cli);
	save(lab);

	try {
		if (!o.empty) {
			const nets = o.networks;
			step(5, `${nets} network${nets === 1 ? '' : 's'} on every host (a /24 block each), ${o.apps} app${o.apps === 1 ? '' : 's'} per network, a gateway on h1`);
			const names = nets <= 3 ? ['blue', 'red', 'green'].slice(0, nets) : Array.from({length: nets}, (_, k) => `n${k + 1}`);
			for (const h of lab.hosts) {
				const ctx = contexts.get(h.name)!;
				await createNetworks(ctx, names.map((name, k) => {
					const subnet = nets <= 3 ? `10.${10 * (k + 1)}.0.0/16` : `10.${Math.floor(k / 64) + 100}.${(k % 64) * 4}.0/22`;
					const block = nets <= 3 ? nthBlock(subnet, 24, h.index - 1) : nthBlock(subnet, 26, h.index - 1);
					return {name, subnet, block};
				}));
			}
			// apps spread over the hosts round robin, bound per host in one operation
			for (const h of lab.hosts) {
				const reqs = names.flatMap(net => Array.from({length: o.apps}, (_, a) => a).filter(a => a % o.hosts === h.index - 1).map(a => ({app: nets <= 3 ? `${net}${a + 1}` : `${net}a${a + 1}`, network: net})));
				if (reqs.length > 0) await bindAll(contexts.get(h.name)!, reqs);
				o.progress(`  ${h.name}: ${reqs.length} apps bound`);
			}
			if (nets >= 2 && nets <= 3) {
				// red imports blue's routes (import-only) everywhere and blue imports red's: the two talk across hosts
				const h1 = contexts.get('h1')!;
				const auto = (ctx: Context, name: string) => ctx.store.load().networks.find(n => n.name === name)!.targets.find(t => t.auto)!.rt;
				for (const h of lab.hosts) {
					const ctx = contexts.get(h.name)!;
					await editTarget(ctx, {network: 'red', rt: auto(ctx, 'blue'), direction: 'import', remove: false});
					await editTarget(ctx, {network: 'blue', rt: auto(ctx, 'red'), direction: 'import', remove: false});
				}
				await addExternalRoute(h1, {prefix: '0.0.0.0/0', targets: ['64512:999'], via: '203.0.113.1'});
				await editTarget(h1, {network: 'red', rt: '64512:999', direction: 'import', remove: false});
			}
		} else step(5, 'no content (--empty)');
	} finally {
		for (const c of contexts.values()) c.close();
	}
	const bound = Date.now();
	if (o.wait) {
		step(6, 'waiting for BGP sessions and agents');
		const deadline = Date.now() + 60_000;
		await until('BGP sessions at the route reflector', deadline, () => established(lab.rr.grpcPort) === lab.hosts.length);
		for (const h of lab.hosts) await until(`agent ${h.name}`, deadline, async () => (await agentHealth(h))?.gobgp === true);
	} else step(6, 'not waiting for BGP (--no-wait)');
	o.progress(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s (binds done at ${((bound - t0) / 1000).toFixed(1)} s); state in ${lab.dir}`);
	return lab;
}

/** Removes every namespace, process and file the lab made. */
export async function labDown(e: LabEnv, progress: (line: string) => void): Promise<number> {
	requireRoot();
	const lab = readLab(e.dir);
	let removed = 0;
	if (lab) {
		progress(`[lab] stopping ${lab.hosts.length} agents and ${lab.hosts.length + 1} gobgpd`);
		await Promise.all(lab.hosts.map(h => stopPid(h.agentPid)));
		await Promise.all([...lab.hosts.map(h => stopPid(h.gobgpPid)), stopPid(lab.rr.pid)]);
	}
	// without lab.json (a lab up that died early): the names a lab of up to 9 hosts would have used, nothing wider
	const exact = lab ? [lab.switchNs, ...lab.hosts.map(h => h.underlayNs)] : [`${e.prefix}sw`, ...Array.from({length: 9}, (_, i) => `${e.prefix}u${i + 1}`)];
	const prefixes = lab ? lab.hosts.map(h => h.prefix) : Array.from({length: 9}, (_, i) => `${e.prefix}${i + 1}-`);
	const doomed = [...listNamespaces()].filter(n => exact.includes(n) || prefixes.some(p => n.startsWith(p)));
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
