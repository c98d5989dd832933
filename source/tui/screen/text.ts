// The console's lines as plain text, without Ink: the header, the title bar, and (frame.ts) a whole first frame.
// The Ink components draw these same strings, so the first frame written before Ink loads is the one Ink redraws.
import type {ConsoleController} from '../controller.js';
import {ago, fit} from '../format.js';
import type {ConsoleView} from '../state.js';
import {driftCount} from '../views/trust.js';
import {VIEWS, viewTitle} from '../views.js';

/** Wraps to a width with a hanging indent, by words. */
export function wrap(text: string, width: number, indent = 0): string[] {
	if (width <= indent + 8 || text.length <= width) return [text];
	const out: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const next = line === '' ? word : `${line} ${word}`;
		if (next.length > width && line.trim() !== '') {
			out.push(line);
			line = ' '.repeat(indent) + word;
		} else line = next;
	}
	if (line.trim() !== '') out.push(line);
	return out;
}

/** `head` then the items joined by `, `, wrapped so that no item is split across lines. */
export function wrapList(head: string, items: readonly string[], width: number): string[] {
	const out: string[] = [];
	let line = head;
	items.forEach((item, i) => {
		const piece = item + (i < items.length - 1 ? ',' : '');
		if (line.length + 1 + piece.length > width && line.trim() !== '' && line !== head) {
			out.push(line);
			line = ' '.repeat(head.length) + piece;
		} else line = line === head ? `${head}${piece}` : `${line} ${piece}`;
	});
	out.push(line);
	return out;
}

/** The header: host, controller, counts, drift, age; the tag (READONLY, DEMO 2/5) at its end. */
export function headerText(view: ConsoleView, c: ConsoleController, width: number, demo?: string): {text: string; tag: string; drift: number} {
	const s = view.data?.snap;
	const age = view.data ? ago(c.now() - view.data.loadedAt) : 'loading…';
	const h = c.host;
	// another host says where it is read from; one that stopped answering is marked, its last data still shown
	const where = h.local ? '' : ` @ ${h.url}`;
	const drift = s ? driftCount(s) : 0;
	// a host shown in process under another name (the demo's sandbox) says that name
	const name = s && h.local && h.name === 'demo' ? `demo (on ${s.host})` : s?.host;
	const parts = s
		? [`host ${name}${where}`, `controller ${s.controller}`, ...(s.prefix ? [`prefix ${s.prefix}`] : []), `${s.networks.length} nets`, `${s.apps.length} apps`, `${s.routes.length} routes`, `drift ${drift}`, `refreshed ${age}`]
		: [`host ${h.name}${where}`, 'loading…'];
	if (view.loadError) parts.splice(1, 0, h.local ? '✗ read failed' : '✗ unreachable');
	if (c.hosts.length > 1) parts.push(`${c.hosts.length} hosts`);
	if (s && !s.kernelRead) parts.push('kernel not read');
	const tag = c.readonly ? ' READONLY ' : demo ? ` ${demo} ` : '';
	return {text: fit(` nsdeck │ ${parts.join(' │ ')}`, width - tag.length, false), tag, drift};
}

/** The title bar outside the `:` line: the view and its stack, the count, the filter, the views' keys at the right. */
export function titleParts(view: ConsoleView, c: ConsoleController, width: number, shown: number, total: number): {title: string; filter: string; cursor: boolean; tabs: string} {
	const m = view.state.mode;
	const top = c.top;
	const stack = c.state.stack;
	const keys = VIEWS.filter(v => v.key).map(v => `${v.key} ${v.name}`).join('  ');
	const title = ` ${viewTitle(top.view)}${stack.length > 1 ? ' ‹ ' + stack.slice(0, -1).map(f => viewTitle(f.view)).reverse().join(' ‹ ') : ''} [${!view.data ? '…' : top.filter ? `${shown}/${total}` : total}]${top.marked ? ' marked only' : ''}`;
	const filter = m.kind === 'filter' ? ` /${m.text}` : top.filter ? `  /${top.filter}` : '';
	const cursor = m.kind === 'filter';
	const room = width - title.length - filter.length - (cursor ? 1 : 0);
	return {title, filter, cursor, tabs: room > keys.length + 2 ? keys.padStart(room - 1) : ''};
}
