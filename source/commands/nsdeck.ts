import {fail, OperationError} from '../core/errors.js';
import {markOf, type Direction} from '../core/model.js';
import {attach, bind, containerPid, setOutbound, unbind} from '../provision/apps.js';
import type {Context} from '../provision/context.js';
import {addExternalRoute, deleteExternalRoute} from '../provision/externals.js';
import {createNetwork, deleteNetwork, networkIdOrFail, setSubnet} from '../provision/networks.js';
import {reconcile} from '../provision/reconcile.js';
import {snapshot} from '../provision/snapshot.js';
import {editTarget, previewTargetEdit} from '../provision/targets.js';
import {type CommandSpec, exclusive, type Parsed, parseArgs} from './args.js';
import {planText} from './format.js';
import {diffText, originText, targetsText} from '../provision/text.js';
import {explainIn, hostInfo, intentOf, knownHosts} from '../provision/reads.js';
import {explainPeer} from '../provision/legs.js';
import {table} from './table.js';
import {unitFile} from './unit.js';
import {completionScript} from './completion.js';
import {agentUnit, bootUnit} from './units.js';
import {checkHost, parsePort, setHost} from '../provision/host.js';
import {agentFingerprint} from '../provision/credentials.js';
import {formatIpv4, parseIpv4} from '../core/ipv4.js';
import type {HostSettings} from '../store/intent.js';
import {initStore, teardown} from '../provision/setup.js';
import {stateDir} from '../provision/context.js';

type Out = {log(text: string): void};
type Handler = (ctx: Context, p: Parsed, out: Out) => Promise<void> | void;
export type Command = CommandSpec & {readonly summary: string; readonly run: Handler; /** needs no store of its own (the lab) */ readonly noContext?: boolean};

const json = {json: {kind: 'bool'}} as const;
const print = (out: Out, value: unknown) => out.log(JSON.stringify(value, null, 2));

function direction(p: Parsed): Direction {
	exclusive(p, 'import-only', 'export-only');
	return p.flags['import-only'] ? 'import' : p.flags['export-only'] ? 'export' : 'both';
}

function pid(text: string | undefined): number {
	if (!text || !/^\d{1,9}$/.test(text)) fail(`invalid pid '${text ?? ''}'`);
	return Number(text);
}

export const COMMANDS: Record<string, Command> = {
	'net create': {
		usage: 'nsdeck net create NAME --subnet CIDR [--rt RT]... [--no-auto-rt] [--vni N] [--block CIDR]',
		summary: 'create a virtual network (automatic target unless --no-auto-rt; VNI from the name unless --vni; addresses from --block)',
		positionals: ['NAME'],
		flags: {subnet: {kind: 'value'}, rt: {kind: 'list'}, 'no-auto-rt': {kind: 'bool'}, vni: {kind: 'value'}, block: {kind: 'value'}},
		async run(ctx, p, out) {
			if (!p.flags.subnet) fail('--subnet CIDR is required');
			await createNetwork(ctx, {
				name: p.args.NAME!, subnet: p.flags.subnet as string, targets: (p.flags.rt as string[]) ?? [], autoTarget: !p.flags['no-auto-rt'],
				...(p.flags.vni !== undefined ? {vni: p.flags.vni as string} : {}), ...(p.flags.block !== undefined ? {block: p.flags.block as string} : {}),
			});
			const net = intentOf(ctx).networks.find(n => n.name === p.args.NAME)!;
			out.log(`network ${net.name} ${net.subnet ?? '(no subnet)'} targets ${targetsText(net.targets)}`);
		},
	},
	'net set': {
		usage: 'nsdeck net set NAME --subnet CIDR [--block CIDR]',
		summary: 'give a network made without a subnet (network-manage create NAME) its subnet; binds into it work from then on',
		positionals: ['NAME'],
		flags: {subnet: {kind: 'value'}, block: {kind: 'value'}},
		async run(ctx, p, out) {
			if (!p.flags.subnet) fail('--subnet CIDR is required');
			await setSubnet(ctx, {name: p.args.NAME!, subnet: p.flags.subnet as string, ...(p.flags.block !== undefined ? {block: p.flags.block as string} : {})});
			const net = intentOf(ctx).networks.find(n => n.name === p.args.NAME)!;
			out.log(`network ${net.name} ${net.subnet}${net.block !== net.subnet ? ` block ${net.block}` : ''}`);
		},
	},
	'net delete': {
		usage: 'nsdeck net delete NAME',
		summary: 'delete a network (refused while apps use it)',
		positionals: ['NAME'],
		async run(ctx, p, out) {
			await deleteNetwork(ctx, p.args.NAME!);
			out.log(`network ${p.args.NAME} deleted`);
		},
	},
	'net list': {
		usage: 'nsdeck net list [--json]',
		summary: 'networks with subnets, targets and apps',
		flags: json,
		async run(ctx, p, out) {
			const s = await snapshot(ctx);
			if (p.flags.json) return print(out, s.networks);
			out.log(table(['NETWORK', 'SUBNET', 'USED', 'FREE', 'IMPORT', 'EXPORT', 'APPS'], s.networks.map(n => [
				n.name, n.subnet ?? '-', String(n.used), String(n.free),
				n.targets.filter(t => t.import).map(t => t.rt).join(',') || '-',
				n.targets.filter(t => t.export).map(t => t.rt).join(',') || '-',
				n.apps.join(',') || '-',
			])));
		},
	},
	'net show': {
		usage: 'nsdeck net show NAME [--json]',
		summary: 'one network: subnet, targets, apps, routes',
		positionals: ['NAME'],
		flags: json,
		async run(ctx, p, out) {
			networkIdOrFail(ctx, p.args.NAME!);
			const s = await snapshot(ctx);
			const n = s.networks.find(x => x.name === p.args.NAME)!;
			const routes = s.routes.filter(r => r.network === n.name);
			if (p.flags.json) return print(out, {...n, routes});
			const subnet = n.subnet ? `${n.subnet} (table ${n.table}, ${n.used} used, ${n.free} free${n.block === n.subnet ? '' : ` in block ${n.block}`}, VNI ${n.vni})` : `none yet (nsdeck net set ${n.name} --subnet CIDR); table ${n.table}, VNI ${n.vni}`;
			out.log(`network ${n.name}\n  subnet  ${subnet}\n  apps    ${n.apps.join(', ') || '-'}`);
			out.log(table(['  TARGET', 'IMPORT', 'EXPORT', 'AUTO'], n.targets.map(t => [`  ${t.rt}`, t.import ? 'yes' : '-', t.export ? 'yes' : '-', t.auto ? 'yes' : '-'])));
			out.log(`  routes  ${routes.length}`);
		},
	},
	'rt add': {
		usage: 'nsdeck rt add NET RT [--import-only|--export-only] [--dry-run] [--json]',
		summary: 'add a route target to a network (both directions unless told); --dry-run shows the effect only',
		positionals: ['NET', 'RT'],
		flags: {'import-only': {kind: 'bool'}, 'export-only': {kind: 'bool'}, 'dry-run': {kind: 'bool'}, ...json},
		run: (ctx, p, out) => targetCommand(ctx, p, out, false),
	},
	'rt del': {
		usage: 'nsdeck rt del NET RT [--import-only|--export-only] [--dry-run] [--json]',
		summary: 'remove a route target (or only its import or export side)',
		positionals: ['NET', 'RT'],
		flags: {'import-only': {kind: 'bool'}, 'export-only': {kind: 'bool'}, 'dry-run': {kind: 'bool'}, ...json},
		run: (ctx, p, out) => targetCommand(ctx, p, out, true),
	},
	'route add': {
		usage: 'nsdeck route add PREFIX --rt RT [--rt RT]... --via NEXTHOP',
		summary: 'an external route (a gateway\'s default, say) that networks import by target',
		positionals: ['PREFIX'],
		flags: {rt: {kind: 'list'}, via: {kind: 'value'}},
		async run(ctx, p, out) {
			if (!p.flags.via) fail('--via NEXTHOP is required');
			await addExternalRoute(ctx, {prefix: p.args.PREFIX!, targets: (p.flags.rt as string[]) ?? [], via: p.flags.via as string});
			out.log(`external route ${p.args.PREFIX} via ${p.flags.via}`);
		},
	},
	'route del': {
		usage: 'nsdeck route del PREFIX',
		summary: 'remove an external route',
		positionals: ['PREFIX'],
		async run(ctx, p, out) {
			await deleteExternalRoute(ctx, p.args.PREFIX!);
			out.log(`external route ${p.args.PREFIX} deleted`);
		},
	},
	'route list': {
		usage: 'nsdeck route list [--json]',
		summary: 'external routes',
		flags: json,
		run(ctx, p, out) {
			const ext = intentOf(ctx).externals;
			if (p.flags.json) return print(out, ext);
			out.log(table(['PREFIX', 'VIA', 'TARGETS'], ext.map(e => [e.prefix, e.via, e.targets.join(',')])));
		},
	},
	bind: {
		usage: 'nsdeck bind APP --network NET [--outbound NET] [--ip ADDR] [-- COMMAND...]',
		summary: 'put an app in namespace ns-APP on a network (and an outbound one); optionally start it there',
		positionals: ['APP'],
		flags: {network: {kind: 'value', short: 'n'}, outbound: {kind: 'value', short: 'o'}, ip: {kind: 'value'}, json: {kind: 'bool'}},
		rest: true,
		async run(ctx, p, out) {
			if (!p.flags.network) fail('--network NET is required');
			const r = await bind(ctx, {
				app: p.args.APP!, network: p.flags.network as string,
				...(p.flags.outbound ? {outbound: p.flags.outbound as string} : {}),
				...(p.flags.ip ? {address: p.flags.ip as string} : {}),
				...(p.rest ? {command: p.rest} : {}),
			});
			const app = intentOf(ctx).apps.find(a => a.name === p.args.APP)!;
			if (p.flags.json) return print(out, {app: app.name, namespace: ctx.names.appNamespace(app.name), ifaces: app.ifaces, pid: r.pid ?? null});
			out.log(`${app.name}: namespace ${ctx.names.appNamespace(app.name)}, ${app.ifaces.map(i => `${i.role === 'in' ? 'veth0' : 'veth1'} ${i.address} on ${i.network}`).join(', ')}${r.pid ? `, pid ${r.pid}` : ''}`);
		},
	},
	unbind: {
		usage: 'nsdeck unbind APP',
		summary: 'stop the app\'s process, remove its namespace and routes, release its addresses',
		positionals: ['APP'],
		async run(ctx, p, out) {
			await unbind(ctx, p.args.APP!);
			out.log(`${p.args.APP} unbound`);
		},
	},
	outbound: {
		usage: 'nsdeck outbound APP NET | nsdeck outbound APP --clear',
		summary: 'send the app\'s traffic out through another network, or back through its inbound one',
		positionals: ['APP', 'NET'],
		optional: 1,
		flags: {clear: {kind: 'bool'}, json: {kind: 'bool'}},
		async run(ctx, p, out) {
			if (Boolean(p.args.NET) === Boolean(p.flags.clear)) fail('give either a network or --clear (usage: nsdeck outbound APP NET | --clear)');
			const r = await setOutbound(ctx, p.args.APP!, p.args.NET);
			if (p.flags.json) return print(out, r.unchanged ? {unchanged: true} : {unchanged: false, diff: r.diff});
			out.log(r.unchanged ? `${p.args.APP}: unchanged` : `${p.args.APP}: default route via ${p.args.NET ?? 'its inbound network'}\n${diffText(r.diff)}`);
		},
	},
	attach: {
		usage: 'nsdeck attach APP (--pid PID | --container ID) --network NET [--outbound NET] [--ip ADDR]',
		summary: 'bind a running process or container (its namespace is linked under /run/netns)',
		positionals: ['APP'],
		flags: {pid: {kind: 'value'}, container: {kind: 'value'}, network: {kind: 'value', short: 'n'}, outbound: {kind: 'value', short: 'o'}, ip: {kind: 'value'}},
		async run(ctx, p, out) {
			exclusive(p, 'pid', 'container');
			if (!p.flags.network) fail('--network NET is required');
			const target = p.flags.container ? await containerPid(p.flags.container as string) : pid(p.flags.pid as string | undefined);
			await attach(ctx, {
				app: p.args.APP!, pid: target, network: p.flags.network as string,
				...(p.flags.outbound ? {outbound: p.flags.outbound as string} : {}),
				...(p.flags.ip ? {address: p.flags.ip as string} : {}),
			});
			out.log(`${p.args.APP}: pid ${target} attached as ${ctx.names.appNamespace(p.args.APP!)}`);
		},
	},
	routes: {
		usage: 'nsdeck routes NET [--json]',
		summary: 'the VRF\'s routes as the resolver sees them, and whether the kernel has each',
		positionals: ['NET'],
		flags: json,
		async run(ctx, p, out) {
			networkIdOrFail(ctx, p.args.NET!);
			const s = await snapshot(ctx);
			const routes = s.routes.filter(r => r.network === p.args.NET);
			const stray = s.stray.filter(r => r.network === p.args.NET);
			const foreign = s.foreign.filter(f => f.kind === 'route' && f.network === p.args.NET);
			if (p.flags.json) return print(out, {network: p.args.NET, routes, stray, foreign});
			out.log(table(['PREFIX', 'ORIGIN', 'KERNEL'], [
				...routes.map(r => [r.prefix, originText(r.origin), r.origin.kind === 'remote' && r.origin.unusable ? 'not installed' : r.installed === null ? '?' : r.installed ? 'installed' : 'MISSING']),
				...stray.filter(r => r.type !== 'unreachable').map(r => [r.dst, `stray (dev ${r.dev ?? '-'})`, 'EXTRA']),
				...foreign.map(f => [f.object.split(' ').at(-1)!, `foreign: ${f.detail}`, 'foreign']),
			]));
		},
	},
	explain: {
		usage: 'nsdeck explain NET PREFIX [--json] | nsdeck explain APP PEER [--json]',
		summary: 'why a route is (or is not) in a VRF; or both legs between an app and a peer (an app or an address), with the kernel\'s own answer',
		positionals: ['NET_OR_APP', 'PREFIX_OR_PEER'],
		flags: json,
		async run(ctx, p, out) {
			const [first, second] = [p.args.NET_OR_APP!, p.args.PREFIX_OR_PEER!];
			const intent = intentOf(ctx);
			// an app and a peer (app or address), unless the first names a network and the second is no app
			const isApp = intent.apps.some(a => a.name === first) && (!intent.networks.some(n => n.name === first) || intent.apps.some(a => a.name === second));
			if (!isApp && !intent.networks.some(n => n.name === first)) fail(`'${first}' is neither a network nor an app (see 'nsdeck status')`);
			const e = isApp ? await explainPeer(ctx, first, second) : await explainIn(ctx, first, second);
			if (p.flags.json) return print(out, e);
			out.log(e.lines.join('\n'));
		},
	},
	status: {
		usage: 'nsdeck status [--json]',
		summary: 'namespaces, interfaces, VRF routes and route-target state of this host',
		flags: json,
		async run(ctx, p, out) {
			const s = await snapshot(ctx);
			if (p.flags.json) return print(out, s);
			out.log(`host ${s.host}  controller ${s.controller}  networks ${s.networks.length}  apps ${s.apps.length}  routes ${s.routes.length}${s.kernelRead ? `  drift ${s.drift.length}  foreign ${s.foreign.length}` : '  (kernel not read: needs root)'}`);
			if (s.store.state !== 'ok') out.log(`store ${s.store.path}: ${s.store.state === 'missing' ? 'none yet (the first change creates it)' : 'read-only'}`);
			if (s.store.problem) out.log(`! ${s.store.problem}`);
			if (s.apps.length > 0) {
				out.log('');
				out.log(table(['APP', 'NAMESPACE', 'INBOUND', 'OUTBOUND', 'DEFAULT VIA', 'PROCESS', 'DRIFT'], s.apps.map(a => {
					const i = a.ifaces.find(x => x.role === 'in')!;
					const o = a.ifaces.find(x => x.role === 'out');
					return [a.name, a.namespace, `${i.network} ${i.address}`, o ? `${o.network} ${o.address}` : '-', a.defaultVia, a.process ? `${a.process.pid} ${a.process.running ? 'running' : 'exited'}` : '-', a.drift.join('; ') || '-'];
				})));
			}
			if (s.drift.length > 0) {
				out.log('');
				out.log(table(['DRIFT', 'OBJECT', 'EXPECTED', 'SEEN'], s.drift.map(d => [`${d.op} ${d.kind}`, d.object, d.expected || '-', d.seen || '-'])));
			}
			if (s.foreign.length > 0) {
				out.log('');
				out.log(table(['FOREIGN', 'NAMESPACE', 'WHAT'], s.foreign.map(f => [f.kind, f.namespace, f.detail])));
			}
			if (s.networks.length > 0) {
				const rts = [...new Set(s.networks.flatMap(n => n.targets.map(t => t.rt)))].sort();
				out.log('');
				out.log(table(['NETWORK', 'SUBNET', 'ROUTES', ...rts], s.networks.map(n => [
					n.name, n.subnet ?? '-', String(s.routes.filter(r => r.network === n.name).length),
					...rts.map(rt => {
						const t = n.targets.find(x => x.rt === rt);
						return t ? markOf(t) : '.';
					}),
				])));
			}
		},
	},
	reconcile: {
		usage: 'nsdeck reconcile [--dry-run] [--json]',
		summary: 'make the kernel match intent (after a reboot, a crash or a hand edit)',
		flags: {'dry-run': {kind: 'bool'}, ...json},
		async run(ctx, p, out) {
			const plan = await reconcile(ctx, {dryRun: Boolean(p.flags['dry-run'])});
			if (p.flags.json) return print(out, {dryRun: Boolean(p.flags['dry-run']), changes: plan.changes});
			out.log(planText(plan));
		},
	},
	init: {
		usage: 'nsdeck init [--force]',
		summary: 'create an empty store explicitly (--force moves a broken store file aside first; a healthy store is kept)',
		flags: {force: {kind: 'bool'}},
		noContext: true,
		run(_ctx, p, out) {
			const r = initStore(stateDir(), {force: Boolean(p.flags.force)});
			out.log(r.created ? `store ${r.path} created${r.movedAside ? ` (the old file is now ${r.movedAside})` : ''}` : `store ${r.path} already exists: kept as it is`);
		},
	},
	teardown: {
		usage: 'nsdeck teardown [--dry-run] [--foreign]',
		summary: 'remove the empty vrouter and gateway namespaces (--foreign: also namespaces of this prefix the store does not name)',
		flags: {'dry-run': {kind: 'bool'}, foreign: {kind: 'bool'}},
		async run(ctx, p, out) {
			const r = await teardown(ctx, {dryRun: Boolean(p.flags['dry-run']), foreign: Boolean(p.flags.foreign)});
			if (r.removed.length === 0) return out.log('nothing to remove');
			out.log(r.removed.map(ns => `${r.dryRun ? 'would remove' : 'removed'} ${ns}`).join('\n'));
		},
	},
	'host set': {
		usage: 'nsdeck host set [--name NAME] [--vtep ADDR] [--control local|gobgp] [--gobgp HOST:PORT] [--underlay-ns NS] [--agent-port PORT] [--peer NAME=VTEP]... [--agent NAME=URL]... [--agent-token NAME=FILE]... [--agent-fingerprint NAME=SHA256:…]... [--gateway NAME=NEXTHOP]... [--gateway-vni NAME=LABEL[:VNI]]...',
		summary: 'this host among many: name, tunnel (VTEP) address, control plane, gobgpd API, agent port, other hosts\' agents (https, pinned), gateway routers',
		flags: {
			name: {kind: 'value'}, vtep: {kind: 'value'}, control: {kind: 'value'}, gobgp: {kind: 'value'}, 'underlay-ns': {kind: 'value'}, 'agent-port': {kind: 'value'}, peer: {kind: 'list'},
			agent: {kind: 'list'}, 'agent-token': {kind: 'list'}, 'agent-fingerprint': {kind: 'list'}, gateway: {kind: 'list'}, 'gateway-vni': {kind: 'list'},
		},
		async run(ctx, p, out) {
			const v = (k: string) => p.flags[k] as string | undefined;
			const l = (k: string) => p.flags[k] as string[] | undefined;
			const req = {
				...(v('name') !== undefined ? {name: v('name')} : {}), ...(v('vtep') !== undefined ? {vtep: v('vtep')} : {}),
				...(v('control') !== undefined ? {control: v('control')} : {}), ...(v('gobgp') !== undefined ? {gobgp: v('gobgp')} : {}),
				...(v('underlay-ns') !== undefined ? {underlayNs: v('underlay-ns')} : {}), ...(v('agent-port') !== undefined ? {agentPort: v('agent-port')} : {}),
				...(l('peer') !== undefined ? {peers: l('peer')} : {}),
				...(l('agent') !== undefined ? {agents: l('agent')} : {}),
				...(l('agent-token') !== undefined ? {agentTokens: l('agent-token')} : {}),
				...(l('agent-fingerprint') !== undefined ? {agentFingerprints: l('agent-fingerprint')} : {}),
				...(l('gateway') !== undefined ? {gateways: l('gateway')} : {}),
				...(l('gateway-vni') !== undefined ? {gatewayVnis: l('gateway-vni')} : {}),
			};
			// an https agent's certificate is fetched and pinned now (trust on first use), once the rest is known valid
			const learned: Record<string, string> = {};
			const toLearn = (l('agent') ?? []).map(a => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as const)
				.filter(([name, url]) => url.startsWith('https:') && !(l('agent-fingerprint') ?? []).some(f => f.startsWith(`${name}=`)));
			if (toLearn.length > 0) {
				checkHost(hostInfo(ctx).host, req, {pins: false});
				const {learnFingerprint} = await import('../agent/client.js');
				for (const [name, url] of toLearn) learned[name] = await learnFingerprint(name, url);
			}
			await setHost(ctx, {...req, ...(toLearn.length > 0 ? {learned} : {})});
			const h = hostInfo(ctx).host!;
			out.log(`host ${h.name} vtep ${h.vtep} control ${h.control}${h.gobgp ? ` gobgp ${h.gobgp}` : ''}${h.underlayNs ? ` underlay ${h.underlayNs}` : ''}${h.agentPort ? ` agent port ${h.agentPort}` : ''}`);
			for (const line of hostLines(h)) out.log(line);
		},
	},
	'host show': {
		usage: 'nsdeck host show [--json]',
		summary: 'this host\'s settings, its agent\'s certificate, other hosts\' agents, gateways, and the routes learned over BGP',
		flags: json,
		run(ctx, p, out) {
			const info = hostInfo(ctx);
			const host = info.host ?? null;
			const remotes = info.remotes;
			const certificate = agentFingerprint(ctx.dir);
			if (p.flags.json) return print(out, {host, certificate, remotes});
			out.log(host ? `host ${host.name} vtep ${host.vtep} control ${host.control}${host.gobgp ? ` gobgp ${host.gobgp}` : ''}` : 'single host (no host settings)');
			if (certificate) out.log(`agent certificate ${certificate}`);
			for (const line of host ? hostLines(host) : []) out.log(line);
			if (remotes.length > 0) {
				out.log(table(['PREFIX', 'FROM', 'RD', 'NEXT HOP', 'LABEL', 'VNI', 'TARGETS'], remotes.map(r => [
					r.prefix, `${r.by.kind} ${r.by.name}`, r.rd, r.nexthop, String(r.label), r.vni === undefined ? 'none (not installed)' : String(r.vni), r.targets.join(','),
				])));
			}
		},
	},
	'host check': {
		usage: 'nsdeck host check [NAME]... [--json]',
		summary: 'ask other hosts\' agents (https, pinned certificate) for their BGP sessions and sync state; exit 1 when one does not answer',
		positionals: ['NAME'],
		optional: 1,
		rest: false,
		flags: json,
		async run(ctx, p, out) {
			const hosts = knownHosts(ctx).filter(h => !h.local && (!p.args.NAME || h.name === p.args.NAME));
			if (p.args.NAME && hosts.length === 0) fail(`no agent known for host '${p.args.NAME}' (nsdeck host set --agent ${p.args.NAME}=URL)`);
			const {AgentClient} = await import('../agent/client.js');
			const results = await Promise.all(hosts.map(async h => {
				try {
					const health = await new AgentClient({name: h.name, url: h.url!, tokenFile: h.tokenFile!, ...(h.fingerprint ? {fingerprint: h.fingerprint} : {})}).health();
					return {host: h.name, url: h.url!, ok: true as const, health};
				} catch (e) {
					return {host: h.name, url: h.url!, ok: false as const, error: (e as Error).message};
				}
			}));
			if (p.flags.json) print(out, results);
			else {
				out.log(table(['HOST', 'URL', 'STATE', 'BGP', 'SYNC', 'REMOTES'], results.map(r => {
					if (!r.ok) return [r.host, r.url, r.error, '-', '-', '-'];
					const sessions = r.health.sessions ?? [];
					const up = sessions.filter(x => x.state === 'ESTABLISHED').length;
					const sync = r.health.sync;
					return [r.host, r.url, 'reachable', `${up}/${sessions.length} up`, sync ? (sync.inSync ? 'in sync' : 'pending') : r.health.gobgp ? 'connected' : 'gobgpd down', String(r.health.remotes)];
				})));
			}
			if (results.some(r => !r.ok)) throw new OperationError(results.filter(r => !r.ok).map(r => (r as {error: string}).error).join('; '));
		},
	},
	agent: {
		usage: 'nsdeck agent [--port PORT] [--address ADDR] [--metrics-port PORT] [--log-level error|warn|info|debug] [--tls-key FILE --tls-cert FILE]',
		summary: 'keep this host in sync over BGP (gobgpd); serve it to other hosts\' consoles (HTTPS on the host\'s address) and metrics (runs until stopped)',
		flags: {port: {kind: 'value'}, address: {kind: 'value'}, 'metrics-port': {kind: 'value'}, 'log-level': {kind: 'value'}, 'tls-key': {kind: 'value'}, 'tls-cert': {kind: 'value'}},
		async run(ctx, p) {
			const v = (k: string) => p.flags[k] as string | undefined;
			const port = v('port') === undefined ? undefined : parsePort(v('port')!, 'port');
			const metricsPort = v('metrics-port') === undefined ? undefined : parsePort(v('metrics-port')!, 'metrics port');
			const address = v('address') === undefined ? undefined : formatIpv4(parseIpv4(v('address')!, 'agent address'));
			const {parseLevel} = await import('../agent/log.js');
			const logLevel = v('log-level') === undefined ? undefined : parseLevel(v('log-level')!);
			if (v('log-level') !== undefined && !logLevel) fail(`invalid --log-level '${v('log-level')}': error, warn, info or debug`);
			if (Boolean(v('tls-key')) !== Boolean(v('tls-cert'))) fail('--tls-key and --tls-cert go together');
			const {runAgent} = await import('../agent/run.js');
			await runAgent(ctx, {
				...(port ? {port} : {}), ...(address ? {address} : {}), ...(metricsPort ? {metricsPort} : {}), ...(logLevel ? {logLevel} : {}),
				...(v('tls-key') ? {tlsKey: v('tls-key')!, tlsCert: v('tls-cert')!} : {}),
			});
		},
	},
	'lab up': {
		usage: 'nsdeck lab up [--hosts N] [--networks N] [--host-networks K] [--apps N] [--gateway bird] [--reflectors 1|2] [--no-rtc] [--empty] [--no-wait]',
		summary: 'a lab of N emulated hosts (underlay, route reflectors, gobgpd and agent each), a BIRD gateway router, networks and apps',
		noContext: true,
		flags: {
			hosts: {kind: 'value'}, networks: {kind: 'value'}, 'host-networks': {kind: 'value'}, apps: {kind: 'value'}, gateway: {kind: 'value'}, reflectors: {kind: 'value'},
			'no-rtc': {kind: 'bool'}, empty: {kind: 'bool'}, 'no-wait': {kind: 'bool'},
		},
		async run(_ctx, p, out) {
			const count = (k: string, d: number, min: number, max: number) => {
				const t = p.flags[k] as string | undefined;
				if (t === undefined) return d;
				if (!/^\d{1,4}$/.test(t) || Number(t) < min || Number(t) > max) fail(`invalid --${k} '${t}': expected ${min}-${max}`);
				return Number(t);
			};
			const {labEnv, labUp, HOSTS_MAX} = await import('../lab/lab.js');
			const o = {hosts: count('hosts', 2, 1, HOSTS_MAX), networks: count('networks', 2, 1, 256), apps: count('apps', 2, 1, 60), reflectors: count('reflectors', 2, 1, 2)};
			const hostNetworks = p.flags['host-networks'] === undefined ? undefined : count('host-networks', 1, 1, o.networks);
			const gateway = p.flags.gateway as string | undefined;
			if (gateway !== undefined && gateway !== 'bird') fail(`invalid --gateway '${gateway}': bird (BIRD 2 as the site's gateway router)`);
			const e = labEnv();
			const lab = await labUp(e, {
				...o, ...(hostNetworks ? {hostNetworks} : {}), ...(gateway ? {gateway: 'bird' as const} : {}), rtc: !p.flags['no-rtc'],
				empty: Boolean(p.flags.empty), wait: !p.flags['no-wait'], cli: process.argv[1]!, progress: line => process.stderr.write(line + '\n'),
			});
			for (const h of lab.hosts) out.log(`${h.name}: NSDECK_STATE_DIR=${h.stateDir} NSDECK_NS_PREFIX=${h.prefix} vtep ${h.vtep} (namespace ${h.underlayNs}) gobgp 127.0.0.1:${h.grpcPort} agent https://${h.vtep}:${h.agentPort} metrics 127.0.0.1:${h.metricsPort}`);
			for (const r of lab.reflectors) out.log(`${r.name}: route reflector ${r.address} (namespace ${r.namespace}) gobgp 127.0.0.1:${r.grpcPort}`);
			if (lab.gateway) out.log(`${lab.gateway.name}: BIRD ${lab.gateway.address} (namespace ${lab.gateway.namespace}) birdc -s ${lab.gateway.control}; internet ${lab.gateway.internet.join(' ')} tcp ${lab.gateway.tcpPort}; target ${lab.gateway.target}`);
		},
	},
	'lab gateway': {
		usage: 'nsdeck lab gateway',
		summary: 'the lab gateway\'s forwarding plane and TCP service (lab up starts it in the gateway\'s namespace; runs until stopped)',
		noContext: true,
		async run() {
			const {labEnv, runGateway} = await import('../lab/lab.js');
			await runGateway(labEnv());
		},
	},
	'lab down': {
		usage: 'nsdeck lab down',
		summary: 'remove every namespace, process and file of the lab',
		noContext: true,
		async run(_ctx, _p, out) {
			const {labEnv, labDown} = await import('../lab/lab.js');
			await labDown(labEnv(), line => process.stderr.write(line + '\n'));
			out.log('lab down');
		},
	},
	demo: {
		usage: 'nsdeck demo [--hosts N]',
		summary: 'the guided demo in the console, in a sandbox of its own (--hosts N: across a lab of N hosts); quitting removes it',
		flags: {hosts: {kind: 'value'}},
		noContext: true,
		run() {
			fail('the demo runs in the console: it needs a terminal');
		},
	},
	'demo clean': {
		usage: 'nsdeck demo clean',
		summary: "remove what the demo left (its namespaces, processes, state; its lab's too)",
		noContext: true,
		async run(_ctx, _p, out) {
			const {demoClean} = await import('./demo.js');
			const gone = await demoClean(line => process.stderr.write(line + '\n'));
			out.log(gone.length ? `demo removed: ${gone.join(', ')}` : 'demo clean: nothing to remove');
		},
	},
	completion: {
		usage: 'nsdeck completion bash|zsh|fish',
		summary: 'print a script that completes commands, flags and this host\'s names in your shell',
		positionals: ['SHELL'],
		noContext: true,
		run(_ctx, p, out) {
			out.log(completionScript(p.args.SHELL!).trimEnd());
		},
	},
	unit: {
		usage: 'nsdeck unit APP --network NET [--outbound NET] [--ip ADDR] -- COMMAND... | nsdeck unit --agent | nsdeck unit --boot',
		summary: 'print a systemd unit: an app\'s (bind before start, unbind after stop), the agent\'s, or the reconcile at boot',
		positionals: ['APP'],
		optional: 1,
		flags: {network: {kind: 'value', short: 'n'}, outbound: {kind: 'value', short: 'o'}, ip: {kind: 'value'}, agent: {kind: 'bool'}, boot: {kind: 'bool'}},
		rest: true,
		run(ctx, p, out) {
			exclusive(p, 'agent', 'boot');
			if (p.flags.agent || p.flags.boot) {
				const extra = [p.args.APP, p.flags.network, p.flags.outbound, p.flags.ip, p.rest].some(x => x !== undefined);
				if (extra) fail(`--${p.flags.agent ? 'agent' : 'boot'} takes nothing else (usage: ${COMMANDS.unit!.usage})`);
				return out.log(p.flags.agent ? agentUnit(ctx) : bootUnit(ctx));
			}
			if (!p.args.APP) fail(`give an app, --agent or --boot (usage: ${COMMANDS.unit!.usage})`);
			if (!p.flags.network) fail('--network NET is required');
			if (!p.rest?.length) fail('give the command to run after --');
			out.log(unitFile(ctx, {app: p.args.APP, network: p.flags.network as string, outbound: p.flags.outbound as string | undefined, ip: p.flags.ip as string | undefined, command: p.rest}));
		},
	},
};

/** Other hosts' agents and the gateways, a line each (host set, host show). */
function hostLines(h: HostSettings): string[] {
	return [
		...Object.entries(h.agents ?? {}).map(([name, a]) => `agent ${name} ${a.url} token ${a.tokenFile}${a.fingerprint ? ` certificate ${a.fingerprint}` : ''}`),
		...Object.entries(h.gateways ?? {}).map(([name, g]) => `gateway ${name} next hop ${g.address} labels ${Object.entries(g.vnis).map(([label, vni]) => `${label}=VNI ${vni}`).join(', ') || 'none (its routes are not installed)'}`),
	];
}

async function targetCommand(ctx: Context, p: Parsed, out: Out, remove: boolean) {
	const edit = {network: p.args.NET!, rt: p.args.RT!, direction: direction(p), remove};
	if (p.flags['dry-run']) {
		const preview = previewTargetEdit(ctx, edit);
		if (p.flags.json) return print(out, {applied: false, ...preview});
		out.log(`${remove ? 'removing' : 'adding'} ${preview.rt} on ${edit.network} would change:\n${diffText(preview)}`);
		return;
	}
	const r = await editTarget(ctx, edit);
	if (p.flags.json) return print(out, {applied: true, rt: r.result.rt, ...r.diff});
	out.log(`${edit.network}: ${remove ? 'removed' : 'added'} ${r.result.rt}${edit.direction === 'both' ? '' : ` (${edit.direction}${remove ? '' : '-only'})`}\n${diffText(r.diff)}`);
}
