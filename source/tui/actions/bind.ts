// b: bind an app. Name, inbound network (the one here suggested), optional outbound network, address and command;
// Enter previews its addresses and the routes each VRF gains; y binds.
import {inPool, parseIpv4, parsePrefix} from '../../core/ipv4.js';
import {checkName} from '../../core/names.js';
import {diffLines} from '../../provision/text.js';
import type {BindRequest} from '../backend.js';
import {ch, type Binding} from '../binding.js';
import type {Ctl} from '../ctl.js';
import type {Form, Values} from '../form.js';
import {networkHere} from '../here.js';
import {natural} from '../views/table.js';
import {check, onHost} from './check.js';

function submit(c: Ctl, form: Form, v: Values): void {
	const b = c.backend;
	const req: BindRequest = {
		app: v.app!,
		network: v.inbound!,
		...(v.outbound ? {outbound: v.outbound} : {}),
		...(v.address ? {address: v.address} : {}),
		...(v.command ? {command: v.command.split(/\s+/)} : {}),
	};
	c.preview(form, () => b.previewBind(req), p => ({
		kind: 'confirm',
		title: `bind ${req.app}${onHost(b.host.local, b.host.name)}?`,
		lines: [
			{text: `namespace ${b.namespaceOf(req.app)}`},
			{text: `  veth0 ${p.addresses.in} on ${req.network} (inbound)${req.outbound ? '' : ', default route'}`},
			...(req.outbound ? [{text: `  veth1 ${p.addresses.out} on ${req.outbound} (outbound), default route`}] : []),
			...(req.command ? [{text: `  runs: ${req.command.join(' ')}`}] : []),
			{text: ''},
			...diffLines(p),
		],
		apply: {
			what: `bind ${req.app}`,
			run: async be => {
				const r = await be.bind(req);
				const addrs = r.ifaces.map(i => `${i.address} in ${i.network}`).join(', ');
				return {text: `bound ${req.app}: ${addrs}${r.pid ? `; started pid ${r.pid}` : ''}`, tone: 'good', after: () => c.top.view.id === 'apps' && c.setTop({...c.top, key: req.app})};
			},
		},
	}));
}

function start(c: Ctl): void {
	const d = c.data!;
	const nets = d.snap.networks.map(n => n.name).sort(natural);
	if (nets.length === 0) return c.flash("no network yet: press n to create one (or 'nsdeck net create NAME --subnet CIDR')", 'bad');
	const apps = new Set(d.snap.apps.map(a => a.name));
	const subnet = new Map(d.snap.networks.map(n => [n.name, n.subnet]));
	const used = new Set(d.snap.apps.flatMap(a => a.ifaces.map(i => i.address)));
	const here = networkHere(c);
	const validate = (name: string, v: Values): string | undefined => {
		if (name === 'app') return check(() => checkName('app', v.app!)) ?? (apps.has(v.app!) ? `'${v.app}' is already bound` : undefined);
		if (name === 'inbound') return check(() => checkName('network', v.inbound!)) ?? (subnet.has(v.inbound!) ? undefined : `no network '${v.inbound}'`);
		if (name === 'outbound') {
			return check(() => checkName('network', v.outbound!)) ?? (!subnet.has(v.outbound!) ? `no network '${v.outbound}'` : v.outbound === v.inbound ? 'must differ from the inbound network' : undefined);
		}
		if (name === 'address') {
			return check(() => {
				const ip = parseIpv4(v.address!);
				const s = subnet.get(v.inbound!);
				if (s && !inPool(parsePrefix(s), ip)) throw new Error(`not in the pool of '${v.inbound}' (${s})`);
				if (used.has(v.address!)) throw new Error('already leased');
			});
		}
		return undefined;
	};
	const form: Form = {
		title: `bind an app${onHost(c.host.local, c.host.name)}`,
		fields: [
			{kind: 'text', name: 'app', label: 'name', value: '', hint: 'namespace ns-NAME'},
			{kind: 'text', name: 'inbound', label: 'inbound network', value: here ?? '', complete: nets, ...(here ? {suggested: true} : {})},
			{kind: 'text', name: 'outbound', label: 'outbound network', value: '', optional: true, complete: nets, hint: 'optional: default route leaves here'},
			{kind: 'text', name: 'address', label: 'address', value: '', optional: true, hint: 'optional: next free when empty'},
			{kind: 'text', name: 'command', label: 'command', value: '', optional: true, hint: 'optional: started inside the namespace'},
		],
		focus: 0,
		validate,
		enter: 'preview and confirm',
		submit: (v, f) => submit(c, f, v),
	};
	c.mode({kind: 'form', form});
}

export const bindAction: Binding = {
	id: 'bind', keys: [ch('b')], show: 'b', label: 'bind', group: 'actions', where: 'all', writes: true,
	help: 'bind an app: name, networks, address, command; previews its addresses and the routes each VRF gains',
	run: start,
};
