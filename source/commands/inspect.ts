// Commands that read and explain the host: routes, explain, status; and reconcile.
import {fail} from '../core/errors.js';
import {markOf} from '../core/model.js';
import {networkIdOrFail} from '../provision/networks.js';
import {reconcile} from '../provision/reconcile.js';
import {snapshot} from '../provision/snapshot.js';
import {planText} from './format.js';
import {originText} from '../provision/text.js';
import {explainIn, intentOf} from '../provision/reads.js';
import {explainPeer} from '../provision/legs.js';
import {table} from './table.js';
import {type Command, json, print, pid} from './command.js';

export const INSPECT: Record<string, Command> = {
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
};
