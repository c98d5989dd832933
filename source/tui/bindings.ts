// The registry of keys: every key of the normal mode, once, with where it acts and its help. Dispatch (dispatch.ts),
// the footer, `?` help and the README's key tables (test/tui/readme-keys.ts) all read this list, so a key cannot
// exist in one and not in the others. Views are declared in views.ts; their number keys come from there.
import {bindAction} from './actions/bind.js';
import {explainAction, explainRoute} from './actions/explain.js';
import {createNetworkAction, deleteNetworkAction} from './actions/network.js';
import {outboundAction} from './actions/outbound.js';
import {pingAction} from './actions/ping.js';
import {exportAction, importAction} from './actions/target.js';
import {unbindAction} from './actions/unbind.js';
import {ch, nm, type Binding} from './binding.js';
import type {Ctl} from './ctl.js';
import {named, type Key} from './keys.js';
import {VIEWS} from './views.js';

const down = (k: Key) => named(k, 'down') || ('ch' in k && k.ch === 'j');

/** Enter: what it does depends on the view (declared as each view's `enter`). */
function drill(c: Ctl): void {
	const v = c.top.view;
	const ref = c.selectedRow()?.ref;
	if (!ref) return;
	if (ref.kind === 'app') return c.open({id: 'app', arg: ref.app}, true);
	if (ref.kind === 'network' || ref.kind === 'target') return c.open({id: 'routes', arg: ref.network}, true);
	if (ref.kind === 'host') return void c.switchHost(ref.host);
	if (ref.kind === 'route') return explainRoute(c);
	if (ref.kind === 'iface' && ref.app) return c.open({id: 'app', arg: ref.app}, true);
	if (ref.kind === 'log' && v.id === 'log') {
		const e = c.data?.log.find(x => x.id === ref.id);
		if (e) c.mode({kind: 'info', title: `audit #${e.id}: ${e.op}`, lines: [{text: `at ${e.at} by ${e.user}`}, {text: `args ${e.args}`}, {text: `result ${e.result}`, tone: e.result === 'ok' ? 'good' : 'bad'}, ...(e.detail ? [{text: e.detail}] : [])]});
	}
}

function refresh(c: Ctl): void {
	c.flash('refreshing…');
	void c.refresh().then(() => {
		const s = c.data?.snap;
		if (c.loadError) c.flash(`refresh failed: ${c.loadError}`, 'bad');
		else if (s) c.flash(`refreshed: ${s.apps.length} apps, ${s.networks.length} networks`, 'good');
	});
}

/** h/l: the matrix's column cursor; the columns scroll to keep it shown. */
function sideways(c: Ctl, k: Key): void {
	const cols = c.shown().cols;
	if (!cols || cols.length === 0) return;
	const left = named(k, 'left') || ('ch' in k && k.ch === 'h');
	const at = Math.min(c.top.col ?? 0, cols.length - 1);
	c.setTop({...c.top, col: Math.max(0, Math.min(cols.length - 1, at + (left ? -1 : 1)))});
}

const VIEW_KEYS: Binding[] = VIEWS.filter(v => v.key).map(v => ({
	id: `view-${v.id}`, keys: [ch(v.key!)], show: v.key!, label: v.name, group: 'views', where: 'all', footer: false,
	help: `${v.arg ? `:${v.name} ${v.arg.label}  ` : `:${v.name}  `}${v.summary}`,
	run: (c: Ctl) => c.open(v.id === 'routes' ? {id: 'routes'} : {id: v.id}),
}));

export const MOVING: Binding[] = [
	{id: 'move', keys: [ch('j'), ch('k'), nm('down'), nm('up')], show: 'j/k ↓/↑', label: 'move', group: 'moving', where: 'all', help: 'down / up', run: (c, k) => c.move(i => i + (down(k) ? 1 : -1))},
	{id: 'ends', keys: [ch('g'), ch('G'), nm('home'), nm('end')], show: 'g/G Home/End', label: '', group: 'moving', where: 'all', help: 'first / last row', run: (c, k) => c.move((_, n) => (('ch' in k && k.ch === 'g') || named(k, 'home') ? 0 : n - 1))},
	{id: 'page', keys: [nm('pagedown'), nm('pageup')], show: 'PgDn/PgUp ^F/^B', label: 'page', group: 'moving', where: 'all', footer: false, help: 'a page down / up', run: (c, k) => c.move(i => i + (named(k, 'pagedown') ? 1 : -1) * Math.max(1, c.pageSize))},
	{id: 'drill', keys: [nm('enter')], show: 'Enter', label: 'drill', group: 'moving', where: 'all', help: 'drill down: app → its namespace and routes; network → its routes; route → why; host → switch', run: drill},
	{id: 'back', keys: [nm('esc')], show: 'Esc', label: 'back', group: 'moving', where: 'all', footer: c => c.state.stack.length > 1 || c.top.filter !== '', help: 'clear the filter, then go back', run: c => c.back()},
	{id: 'filter', keys: [ch('/')], show: '/', label: 'filter', group: 'moving', where: 'all', help: 'filter as you type (a matrix: rows and columns); Enter keeps, Esc clears', run: c => c.mode({kind: 'filter', text: c.top.filter})},
	{id: 'command', keys: [ch(':')], show: ':', label: 'cmd', group: 'moving', where: 'all', help: 'a command (below); Tab completes', run: c => c.mode({kind: 'command', text: ''})},
	{id: 'refresh', keys: [ch('r')], show: 'r', label: 'refresh', group: 'moving', where: 'all', help: 'refresh now (also on a timer and after every action)', run: refresh},
	{id: 'help', keys: [ch('?')], show: '?', label: 'help', group: 'moving', where: 'all', help: 'every key', run: c => c.mode({kind: 'help'})},
	{id: 'quit', keys: [ch('q')], show: 'q Ctrl-C', label: 'quit', group: 'moving', where: 'all', help: 'quit (a demo is removed first); the terminal is given back as it was', run: c => c.quit()},
];

export const MATRIX: Binding[] = [
	{id: 'columns', keys: [ch('l'), ch('h'), nm('right'), nm('left')], show: 'h/l ←/→', label: 'columns', group: 'matrix', where: ['targets'], help: 'move the column cursor; columns scroll behind the pinned ones', run: sideways},
	{id: 'marked', keys: [ch('m')], show: 'm', label: 'marked only', group: 'matrix', where: ['targets'], help: 'only the rows and columns holding a mark (of what the filter keeps)', run: c => c.setTop({...c.top, marked: !c.top.marked, col: 0})},
];

export const ACTIONS: Binding[] = [bindAction, unbindAction, outboundAction, importAction, exportAction, createNetworkAction, deleteNetworkAction, explainAction, pingAction];

/** Every key of the normal mode. */
export const BINDINGS: readonly Binding[] = [...VIEW_KEYS, ...MOVING, ...MATRIX, ...ACTIONS];

/** Keys of the other modes, as the footer and help say them (their handling is in dispatch.ts and form.ts). */
export const MODE_KEYS = {
	filter: 'type to filter   ↑/↓ move   Enter keep   Esc clear',
	command: 'Tab complete   Enter go   Esc cancel',
	form: 'Tab/↓ next field   ↑ previous   ←/→ space pick   Tab completes   Enter {enter}   Esc cancel',
	confirm: 'y apply   n/Esc cancel   j/k scroll',
	info: 'Esc close   j/k scroll',
	help: 'Esc close   j/k scroll',
	busy: 'working…',
} as const;

export const FORM_HELP: ReadonlyArray<[string, string]> = [
	['Tab/↓ ↑/Shift-Tab', 'next / previous field; Tab completes (candidates shown as you type)'],
	['←/→ space', 'pick a choice (or type its first letter)'],
	['Enter', 'preview, then y applies, n cancels (ping and explain go at once)'],
	['Esc', 'cancel: nothing changes'],
];
