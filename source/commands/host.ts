// Commands for the host itself: its store (init), its empty namespaces (teardown), its place among many, the agent.
import {fail, OperationError} from '../core/errors.js';
import {hostInfo, knownHosts} from '../provision/reads.js';
import {table} from './table.js';
import {checkHost, parsePort, setHost} from '../provision/host.js';
import {agentFingerprint} from '../provision/credentials.js';
import {formatIpv4, parseIpv4} from '../core/ipv4.js';
import type {HostSettings} from '../store/intent.js';
import {initStore, teardown} from '../provision/setup.js';
import {stateDir} from '../provision/context.js';
import {type Command, json, print} from './command.js';

export const HOST: Record<string, Command> = {
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
};


/** Other hosts' agents and the gateways, a line each (host set, host show). */
function hostLines(h: HostSettings): string[] {
	return [
		...Object.entries(h.agents ?? {}).map(([name, a]) => `agent ${name} ${a.url} token ${a.tokenFile}${a.fingerprint ? ` certificate ${a.fingerprint}` : ''}`),
		...Object.entries(h.gateways ?? {}).map(([name, g]) => `gateway ${name} next hop ${g.address} labels ${Object.entries(g.vnis).map(([label, vni]) => `${label}=VNI ${vni}`).join(', ') || 'none (its routes are not installed)'}`),
	];
}

