// Commands for the lab of emulated hosts and the guided demo.
import {type Command} from './command.js';
import {fail} from '../core/errors.js';
import {stateDir} from '../provision/context.js';

export const LAB: Record<string, Command> = {
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
};
