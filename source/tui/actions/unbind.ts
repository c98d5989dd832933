// u: unbind the selected app, after a confirmation that lists what goes.
import {roleName} from '../../provision/text.js';
import {ch, type Binding} from '../binding.js';
import type {Ctl} from '../ctl.js';
import {appHere, selectApp} from '../here.js';
import {frameOf} from '../state.js';
import {onHost} from './check.js';

function start(c: Ctl): void {
	const app = appHere(c);
	if (!app) return c.flash(selectApp, 'bad');
	const a = c.data!.snap.apps.find(x => x.name === app);
	c.mode({
		kind: 'confirm',
		title: `unbind ${app}${onHost(c.host.local, c.host.name)}?`,
		lines: [
			{text: `namespace ${a?.namespace ?? app} is deleted with its interfaces:`},
			...(a?.ifaces ?? []).map(i => ({text: `  ${i.inner} ${i.address} on ${i.network} (${roleName(i.role)})`})),
			...(a?.process?.running ? [{text: `its process ${a.process.pid} is stopped`, tone: 'warn' as const}] : []),
			{text: 'its addresses go back to the pools; its routes leave every VRF', tone: 'dim'},
		],
		apply: {
			what: `unbind ${app}`,
			run: async b => {
				await b.unbind(app);
				return {
					text: `unbound ${app}: namespace deleted`,
					tone: 'good' as const,
					after: () => {
						if (c.top.view.id === 'app' && c.top.view.arg === app) c.setState({...c.state, stack: c.state.stack.length > 1 ? c.state.stack.slice(0, -1) : [frameOf({id: 'apps'})]});
					},
				};
			},
		},
	});
}

export const unbindAction: Binding = {
	id: 'unbind', keys: [ch('u')], show: 'u', label: 'unbind', group: 'actions', where: ['apps', 'app'], writes: true,
	help: 'unbind the selected app (namespace, veths, routes and process go)',
	run: start,
};
