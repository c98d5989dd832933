// x: explain. On a route: why the VRF holds it (or which target would bring it in). On an app: asks for a peer and
// shows `explain APP PEER`, both legs. Reads only, so a read-only console allows it.
import {ch, type Binding} from '../binding.js';
import type {Ctl} from '../ctl.js';
import {appHere, routeHere} from '../here.js';
import {peerLines} from '../peer.js';
import {message} from '../state.js';
import {onHost} from './check.js';
import {peerField} from './ping.js';

export function explainRoute(c: Ctl): void {
	const r = routeHere(c);
	if (!r) return c.flash('select a route first (3 routes, or Enter on an app)', 'bad');
	c.settle(() => c.backend.explain(r.network, r.prefix), `explaining ${r.prefix}…`, e => {
		c.mode({kind: 'info', title: `why ${r.prefix} is${e.held ? '' : ' not'} in ${r.network}`, lines: e.lines.map(text => ({text}))});
	}, e => c.mode({kind: 'normal'}, {text: message(e), tone: 'bad'}));
}

function explainPeer(c: Ctl, app: string): void {
	const {field, validate} = peerField(c, app);
	const on = onHost(c.host.local, c.host.name);
	c.mode({
		kind: 'form',
		form: {
			title: `explain ${app} and a peer${on}`,
			fields: [{...field, label: 'peer'}],
			focus: 0,
			validate,
			note: 'both legs: the request to the peer and its reply, each in the VRF its sender\'s default route enters',
			enter: 'explain',
			submit: (v, form) => {
				c.settle(() => c.backend.explainPeer(app, v.target!), `explaining ${app} ↔ ${v.target}…`, e => {
					c.mode({kind: 'info', title: `explain ${app} ${v.target}${on}`, lines: peerLines(e)});
				}, e => c.mode({kind: 'form', form}, {text: message(e), tone: 'bad'}));
			},
		},
	});
}

export const explainAction: Binding = {
	id: 'explain', keys: [ch('x')], show: 'x', label: 'explain', group: 'actions', where: ['routes', 'app', 'apps'],
	help: 'on a route: why the VRF holds it, or the target that would; on an app: both legs to a peer (explain APP PEER)',
	run: c => {
		if (c.top.view.id === 'apps') {
			const app = appHere(c);
			return app ? explainPeer(c, app) : c.flash('select an app first (1 apps)', 'bad');
		}
		explainRoute(c);
	},
};
