// p: one ping from inside the selected app to an address or another app, at once (it changes nothing). A failed one
// says why: the legs and reason the core gives, else the two legs explained.
import {parseIpv4} from '../../core/ipv4.js';
import type {Line} from '../../provision/text.js';
import type {Ping} from '../backend.js';
import {ch, type Binding} from '../binding.js';
import type {Ctl} from '../ctl.js';
import {appHere, selectApp} from '../here.js';
import {peerLines} from '../peer.js';
import {message} from '../state.js';
import {natural} from '../views/table.js';
import {check, onHost} from './check.js';

/** A peer field: another app (Tab completes) or an IPv4 address. */
export function peerField(c: Ctl, app: string) {
	const others = c.data!.snap.apps.map(a => a.name).filter(n => n !== app).sort(natural);
	const names = new Set(others);
	return {
		field: {kind: 'text', name: 'target', label: 'to', value: '', complete: others, hint: 'an IPv4 address or an app name; Tab completes'} as const,
		validate: (_n: string, v: Record<string, string>) => {
			const t = v.target!.trim();
			if (t === '') return 'an IPv4 address or an app name';
			if (/^[\d.]+$/.test(t)) return check(() => parseIpv4(t));
			return names.has(t) ? undefined : `no app '${t}' (and not an IPv4 address)`;
		},
	};
}

async function run(c: Ctl, app: string, target: string): Promise<{flash: string; ok: boolean; lines: Line[]}> {
	const b = c.backend;
	const r: Ping = await b.ping(app, target);
	const head: Line[] = [{text: r.ok ? 'reachable' : 'NOT reachable', tone: r.ok ? 'good' : 'bad'}, {text: r.detail}];
	if (r.ok) return {flash: `ping ${r.address} from ${app}: ${r.detail}`, ok: true, lines: head};
	if (r.reason) head.push({text: `reason: ${r.reason}`, tone: 'warn'});
	let legs: Line[] = [];
	try {
		// the ping's own legs when the host gave them (an older agent does not): else both legs explained
		const e = await b.explainPeer(app, target);
		legs = peerLines(r.legs ? {...e, legs: r.legs} : e);
	} catch (e) {
		legs = [{text: `legs not known: ${message(e)}`, tone: 'dim'}];
	}
	return {flash: `ping ${r.address} from ${app}: ${r.reason ?? r.detail}`, ok: false, lines: [...head, {text: ''}, ...legs]};
}

function start(c: Ctl): void {
	const app = appHere(c);
	if (!app) return c.flash(selectApp, 'bad');
	const {field, validate} = peerField(c, app);
	const on = onHost(c.host.local, c.host.name);
	c.mode({
		kind: 'form',
		form: {
			title: `ping from ${app}${on}`,
			fields: [field],
			focus: 0,
			validate,
			note: `one ICMP echo from inside ${c.backend.namespaceOf(app)}, 1 s to answer`,
			enter: 'ping',
			submit: v => {
				void c.apply({
					what: `ping ${v.target} from ${app}`,
					run: async () => {
						const r = await run(c, app, v.target!);
						return {text: r.flash, tone: r.ok ? ('good' as const) : ('bad' as const), next: {kind: 'info' as const, title: `ping ${v.target} from ${app}${on}`, lines: r.lines}};
					},
				});
			},
		},
	});
}

export const pingAction: Binding = {
	id: 'ping', keys: [ch('p')], show: 'p', label: 'ping', group: 'actions', where: ['apps', 'app', 'ifaces'], writes: true,
	help: 'ping from the selected app to an address or app, at once (one echo, 1 s); a failure shows each leg and why',
	run: start,
};
