// i and e: add or remove an import-only (i) or export (e) target of the network here. Adding completes from every
// target known on the host (networks' and external routes'); removing picks from the network's own. The preview
// lists the routes each VRF gains and loses and the apps whose reachability changes.
import {parseRouteTarget} from '../../core/rt.js';
import {diffLines} from '../../provision/text.js';
import type {TargetEdit} from '../../provision/targets.js';
import {ch, type Binding} from '../binding.js';
import type {Ctl} from '../ctl.js';
import type {Field, Form, Values} from '../form.js';
import {networkHere, targetHere} from '../here.js';
import {natural, shortRt} from '../views/table.js';
import {check, onHost} from './check.js';

type Direction = 'import' | 'export';

/** Every target the host knows: its networks', its external routes', those learned from other hosts. */
export function knownTargets(c: Ctl): string[] {
	const s = c.data!.snap;
	const all = new Set<string>([...s.networks.flatMap(n => n.targets.map(t => t.rt as string)), ...s.externals.flatMap(e => e.targets as readonly string[])]);
	for (const r of s.routes) if (r.origin.kind !== 'local') for (const t of r.origin.targets) all.add(t);
	return [...all].map(shortRt).sort(natural);
}

function start(c: Ctl, direction: Direction): void {
	const network = networkHere(c);
	if (!network) return c.flash(`select a network first (2 nets, 4 targets or a routes view) to edit its ${direction} targets`, 'bad');
	const net = c.data!.snap.networks.find(n => n.name === network);
	if (!net) return c.flash(`unknown network '${network}'`, 'bad');
	const mine = net.targets.filter(t => t[direction]).map(t => t.rt as string);
	const only = net.targets.filter(t => (direction === 'import' ? t.import && !t.export : t.export && !t.import)).map(t => t.rt as string);
	const known = knownTargets(c);
	const here = targetHere(c);
	// on a matrix cell: removing when the network has it, adding otherwise
	const startRemove = here !== undefined && mine.includes(here);
	const addField = (value: string): Field => ({kind: 'text', name: 'target', label: 'route target', value, complete: known, hint: 'ASN:N, A.B.C.D:N or target:ASN:N; Tab completes', ...(value ? {suggested: true} : {})});
	const pickField = (value: string): Field => ({kind: 'choice', name: 'target', label: 'route target', options: mine.map(shortRt).sort(natural), value: value || (mine.map(shortRt).sort(natural)[0] ?? '')});
	const validate = (name: string, v: Values): string | undefined => {
		if (name !== 'target') return undefined;
		if (v.action === 'remove' && mine.length === 0) return `${network} has no ${direction} target to remove`;
		if (v.target!.trim() === '') return 'a route target: ASN:N, A.B.C.D:N or target:ASN:N';
		let rt = '';
		const bad = check(() => (rt = parseRouteTarget(v.target!)));
		if (bad) return bad;
		if (v.action === 'remove' && !mine.includes(rt)) return `${network} has no ${direction} target ${rt}`;
		if (v.action === 'add' && mine.includes(rt)) return `${network} already ${direction}s ${rt}`;
		return undefined;
	};
	const on = onHost(c.host.local, c.host.name);
	const form: Form = {
		title: `${direction}${direction === 'import' ? '-only' : ''} targets of ${network}${on}`,
		fields: [startRemove ? pickField(shortRt(here!)) : addField(here ? shortRt(here) : ''), {kind: 'choice', name: 'action', label: 'action', options: ['add', 'remove'], value: startRemove ? 'remove' : 'add'}],
		focus: 0,
		validate,
		note: `${direction}-only now: ${only.map(shortRt).join(', ') || 'none'};  all ${direction}s: ${mine.map(shortRt).join(', ') || 'none'}`,
		enter: 'preview and confirm',
		// removing picks from the network's own targets; adding types (and completes) any
		adapt: f => {
			const remove = f.fields.find(x => x.name === 'action')!.value === 'remove';
			const field = f.fields[0]!;
			if (remove === (field.kind === 'choice')) return f;
			return {...f, fields: [remove ? pickField(mine.map(shortRt).includes(field.value) ? field.value : '') : addField(''), f.fields[1]!]};
		},
		submit: (v, f) => {
			const edit: TargetEdit = {network, rt: v.target!, direction, remove: v.action === 'remove'};
			c.preview(f, () => c.backend.previewTarget(edit), p => ({
				kind: 'confirm',
				title: `${edit.remove ? 'remove' : 'add'} ${direction} target ${p.rt} ${edit.remove ? 'from' : 'to'} ${network}${on}?`,
				lines: diffLines(p),
				apply: {
					what: `${edit.remove ? 'rt del' : 'rt add'} ${network} ${p.rt}`,
					run: async b => {
						const diff = await b.editTarget({...edit, rt: p.rt});
						const gained = diff.vrfs.reduce((n, x) => n + x.gained.length, 0);
						const lost = diff.vrfs.reduce((n, x) => n + x.lost.length, 0);
						return {text: `${network}: ${edit.remove ? 'removed' : 'added'} ${direction} target ${p.rt}${on} (+${gained} -${lost} routes)`, tone: 'good' as const};
					},
				},
			}));
		},
	};
	c.mode({kind: 'form', form});
}

const WHERE = ['nets', 'targets', 'routes', 'app'] as const;

export const importAction: Binding = {
	id: 'import', keys: [ch('i')], show: 'i', label: 'import', group: 'actions', where: WHERE, writes: true,
	help: 'add or remove an import-only target of the network: adding completes from known targets, removing picks from its own; previewed',
	run: c => start(c, 'import'),
};

export const exportAction: Binding = {
	id: 'export', keys: [ch('e')], show: 'e', label: 'export', group: 'actions', where: WHERE, writes: true,
	help: 'add or remove an export target of the network; previewed',
	run: c => start(c, 'export'),
};
