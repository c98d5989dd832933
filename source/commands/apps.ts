// Commands for apps: bind, unbind, outbound, attach.
import {fail} from '../core/errors.js';
import {attach, bind, containerPid, setOutbound, unbind} from '../provision/apps.js';
import {exclusive} from './args.js';
import {diffText} from '../provision/text.js';
import {intentOf} from '../provision/reads.js';
import {type Command, json, print, pid} from './command.js';

export const APPS: Record<string, Command> = {
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
};
