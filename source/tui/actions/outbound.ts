// o: set, move or clear the app's outbound network; the preview shows where the default route goes and the routes
// and reachability that change.
import {diffLines} from '../../provision/text.js';
import {ch, type Binding} from '../binding.js';
import type {Ctl} from '../ctl.js';
import {appHere, selectApp} from '../here.js';
import {natural} from '../views/table.js';
import {onHost} from './check.js';

const NONE = '(none)';

function start(c: Ctl): void {
	const app = appHere(c);
	if (!app) return c.flash(selectApp, 'bad');
	const a = c.data!.snap.apps.find(x => x.name === app);
	if (!a) return c.flash(`unknown app '${app}'`, 'bad');
	const inbound = a.ifaces.find(i => i.role === 'in')?.network;
	const current = a.ifaces.find(i => i.role === 'out')?.network;
	const options = [...c.data!.snap.networks.map(n => n.name).filter(n => n !== inbound).sort(natural), NONE];
	const on = onHost(c.host.local, c.host.name);
	c.mode({
		kind: 'form',
		form: {
			title: `outbound network of ${app}${on}`,
			fields: [{kind: 'choice', name: 'network', label: 'outbound', options, value: options.find(o => o !== (current ?? NONE)) ?? NONE}],
			focus: 0,
			validate: (_n, v) => (v.network === (current ?? NONE) ? `already ${current ? 'the outbound network' : 'without one'}` : undefined),
			note: `inbound ${inbound}; outbound now ${current ?? 'none (default route via inbound)'}.  ←/→ pick, Enter preview`,
			enter: 'preview and confirm',
			submit: (v, form) => {
				const network = v.network === NONE ? undefined : v.network;
				c.preview(form, () => c.backend.previewOutbound(app, network), p => {
					if (p.unchanged) return c.mode({kind: 'normal'}, {text: `${app}: outbound unchanged`});
					return {
						kind: 'confirm',
						title: network ? `set the outbound network of ${app} to ${network}${on}?` : `clear the outbound network of ${app}${on}?`,
						lines: [{text: `default route of ${app}: via ${p.from ?? 'its inbound network'} → via ${network ?? 'its inbound network'}`}, {text: ''}, ...diffLines(p)],
						apply: {
							what: `outbound ${app}`,
							run: async b => {
								const r = await b.setOutbound(app, network);
								const moved = r.unchanged || !r.diff ? 0 : r.diff.vrfs.reduce((n, x) => n + x.gained.length + x.lost.length, 0);
								return {text: r.unchanged ? `${app}: outbound unchanged` : `${app}: outbound ${network ?? 'cleared'}, default route via ${network ?? 'inbound'} (${moved} route changes)`, tone: 'good' as const};
							},
						},
					};
				});
			},
		},
	});
}

export const outboundAction: Binding = {
	id: 'outbound', keys: [ch('o')], show: 'o', label: 'outbound', group: 'actions', where: ['apps', 'app'], writes: true,
	help: 'set, move or clear the outbound network; previews where the default route goes and the routes and reachability that change',
	run: start,
};
