// Commands for networks, their route targets, and external routes.
import {fail} from '../core/errors.js';
import type {Context} from '../provision/context.js';
import {addExternalRoute, deleteExternalRoute} from '../provision/externals.js';
import {createNetwork, deleteNetwork, networkIdOrFail, setSubnet} from '../provision/networks.js';
import {snapshot} from '../provision/snapshot.js';
import {editTarget, previewTargetEdit} from '../provision/targets.js';
import {type Parsed} from './args.js';
import {diffText, targetsText} from '../provision/text.js';
import {intentOf} from '../provision/reads.js';
import {table} from './table.js';
import {type Command, type Out, json, print, direction} from './command.js';

/** `rt add` and `rt del` take the same flags. */
const targetFlags = {'import-only': {kind: 'bool'}, 'export-only': {kind: 'bool'}, 'dry-run': {kind: 'bool'}, ...json} as const;

export const NETWORKS: Record<string, Command> = {
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
		flags: targetFlags,
		run: (ctx, p, out) => targetCommand(ctx, p, out, false),
	},
	'rt del': {
		usage: 'nsdeck rt del NET RT [--import-only|--export-only] [--dry-run] [--json]',
		summary: 'remove a route target (or only its import or export side)',
		positionals: ['NET', 'RT'],
		flags: targetFlags,
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
};

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
