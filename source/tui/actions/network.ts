// n: create a network (name, subnet, an optional extra target); D: delete the network here. Both previewed by the
// core (the table, VNI and automatic target it gets; the routes that go) and applied on y.
import {parsePrefix, parseSubnet, prefixesOverlap} from '../../core/ipv4.js';
import {checkName} from '../../core/names.js';
import {parseRouteTarget} from '../../core/rt.js';
import {diffLines, targetsText, type Line} from '../../provision/text.js';
import type {NetworkPreview} from '../backend.js';
import {ch, type Binding} from '../binding.js';
import type {Ctl} from '../ctl.js';
import type {Values} from '../form.js';
import {networkHere} from '../here.js';
import {message} from '../state.js';
import {check, onHost} from './check.js';
import {knownTargets} from './target.js';

function previewLines(p: NetworkPreview): Line[] {
	return [
		{text: `network ${p.name}  subnet ${p.subnet ?? '(none yet)'}  table ${p.table}  VNI ${p.vni}${p.block === p.subnet || !p.block ? '' : `  block ${p.block}`}`},
		{text: `targets: ${targetsText(p.targets)}`},
		{text: ''},
		...diffLines(p),
	];
}

function create(c: Ctl): void {
	const nets = c.data!.snap.networks;
	const names = new Set(nets.map(n => n.name));
	const validate = (name: string, v: Values): string | undefined => {
		if (name === 'name') return check(() => checkName('network', v.name!)) ?? (names.has(v.name!) ? `network '${v.name}' already exists` : undefined);
		if (name === 'subnet') {
			return check(() => {
				const s = parseSubnet(v.subnet!);
				const other = nets.find(n => n.subnet && prefixesOverlap(s, parsePrefix(n.subnet)));
				if (other) throw new Error(`overlaps network '${other.name}' (${other.subnet})`);
			});
		}
		if (name === 'target') return check(() => parseRouteTarget(v.target!));
		return undefined;
	};
	const on = onHost(c.host.local, c.host.name);
	c.mode({
		kind: 'form',
		form: {
			title: `create a network${on}`,
			fields: [
				{kind: 'text', name: 'name', label: 'name', value: '', hint: 'its VRF gets a kernel table and an automatic target'},
				{kind: 'text', name: 'subnet', label: 'subnet', value: '', hint: 'CIDR, /8 to /30, not overlapping another network'},
				{kind: 'text', name: 'target', label: 'extra target', value: '', optional: true, complete: knownTargets(c), hint: 'optional: imported and exported besides the automatic one'},
			],
			focus: 0,
			validate,
			enter: 'preview and confirm',
			submit: (v, form) => {
				const req = {name: v.name!, subnet: v.subnet!, ...(v.target ? {targets: [v.target]} : {})};
				c.preview(form, () => c.backend.previewCreateNetwork(req), p => ({
					kind: 'confirm',
					title: `create network ${p.name}${on}?`,
					lines: previewLines(p),
					apply: {
						what: `net create ${p.name}`,
						run: async b => {
							await b.createNetwork(req);
							return {text: `created network ${p.name} ${p.subnet} (table ${p.table})`, tone: 'good', after: () => c.top.view.id === 'nets' && c.setTop({...c.top, key: p.name})};
						},
					},
				}));
			},
		},
	});
}

function remove(c: Ctl): void {
	const network = networkHere(c);
	if (!network) return c.flash('select a network first (2 nets, 4 targets or a routes view)', 'bad');
	const on = onHost(c.host.local, c.host.name);
	c.settle(() => c.backend.previewDeleteNetwork(network), `previewing on ${c.host.name}…`, p => {
		c.mode({
			kind: 'confirm',
			title: `delete network ${network}${on}?`,
			lines: [...previewLines(p), {text: ''}, {text: `its VRF (table ${p.table}) and its rules go; no app uses it`, tone: 'dim'}],
			apply: {
				what: `net delete ${network}`,
				run: async b => {
					await b.deleteNetwork(network);
					return {text: `deleted network ${network}`, tone: 'good', after: () => c.top.view.id === 'routes' && c.top.view.arg === network && c.back()};
				},
			},
		});
	}, e => c.mode({kind: 'normal'}, {text: `cannot delete ${network}: ${message(e)}`, tone: 'bad'}));
}

export const createNetworkAction: Binding = {
	id: 'net-create', keys: [ch('n')], show: 'n', label: 'new net', group: 'actions', where: 'all', writes: true,
	help: 'create a network (name, subnet, an extra target); previews its table, VNI and targets',
	footer: c => c.top.view.id === 'nets' || c.top.view.id === 'targets' || (c.data?.snap.networks.length ?? 0) === 0,
	run: create,
};

export const deleteNetworkAction: Binding = {
	id: 'net-delete', keys: [ch('D')], show: 'D', label: 'delete net', group: 'actions', where: ['nets', 'targets', 'routes'], writes: true,
	help: 'delete the network here (refused while apps use it); previews what goes',
	run: remove,
};
