// One key, in whatever mode the console is in. The normal mode's keys come from the registry (bindings.ts); the
// other modes are small and fixed: the filter and command lines, forms (form.ts), confirmations and panels.
import {appliesIn, keyMatches, whereText} from './binding.js';
import {BINDINGS} from './bindings.js';
import {commandCandidates, runCommand} from './command.js';
import type {Ctl} from './ctl.js';
import {formKey, type Form} from './form.js';
import {isChar, named, type Key} from './keys.js';
import type {Mode} from './state.js';

function normalKey(c: Ctl, k: Key): void {
	const view = c.top.view.id;
	const all = BINDINGS.filter(b => b.keys.some(x => keyMatches(x, k)));
	const b = all.find(x => appliesIn(x, view));
	if (!b) {
		if (all[0] && isChar(k)) c.flash(`'${k.ch}' (${all[0].label}) works in ${whereText(all[0])}`, 'bad');
		return;
	}
	if (b.writes && c.readonly) return c.flash(`read-only console: '${b.show}' is disabled (started with --readonly)`, 'bad');
	if ((b.writes || b.group === 'actions') && !c.data) return c.flash('still loading…');
	b.run(c, k);
}

function filterKey(c: Ctl, k: Key, text: string): void {
	if (named(k, 'enter')) return c.mode({kind: 'normal'});
	if (named(k, 'esc')) return c.setState({...c.state, mode: {kind: 'normal'}, stack: [...c.state.stack.slice(0, -1), {...c.top, filter: '', col: 0}]});
	if (named(k, 'down') || named(k, 'up')) return c.move(i => i + (named(k, 'down') ? 1 : -1));
	let next = text;
	if (named(k, 'backspace')) next = text.slice(0, -1);
	else if (isChar(k)) next = text + k.ch;
	else return;
	c.setState({...c.state, mode: {kind: 'filter', text: next}, stack: [...c.state.stack.slice(0, -1), {...c.top, filter: next, col: 0}]});
}

function commandKey(c: Ctl, k: Key, text: string): void {
	if (named(k, 'esc')) return c.mode({kind: 'normal'});
	if (named(k, 'tab')) {
		const list = commandCandidates(c, text);
		if (list.length === 0) return;
		let p = list[0]!;
		for (const s of list) while (!s.startsWith(p)) p = p.slice(0, -1);
		const done = list.length === 1 ? `${list[0]!}${text.includes(' ') ? '' : ' '}` : p;
		if (done.length > text.length) c.mode({kind: 'command', text: done});
		return;
	}
	if (named(k, 'backspace')) return c.mode({kind: 'command', text: text.slice(0, -1)});
	if (isChar(k)) return c.mode({kind: 'command', text: text + k.ch});
	if (named(k, 'enter')) {
		c.mode({kind: 'normal'});
		runCommand(c, text);
	}
}

function formKeyIn(c: Ctl, k: Key, form: Form): void {
	const step = formKey(form, k);
	if ('cancel' in step) return c.mode({kind: 'normal'}, {text: 'cancelled: nothing changed'});
	if ('form' in step) return c.mode({kind: 'form', form: step.form});
	if ('invalid' in step) return c.mode({kind: 'form', form: step.invalid}, {text: step.error, tone: 'bad'});
	form.submit(step.submit, form);
}

const scrolls = (k: Key) => named(k, 'down') || named(k, 'up') || named(k, 'pagedown') || named(k, 'pageup') || (isChar(k) && (k.ch === 'j' || k.ch === 'k'));

function panelKey(c: Ctl, k: Key, m: Extract<Mode, {kind: 'confirm' | 'info' | 'help'}>): void {
	if (scrolls(k)) {
		const d = named(k, 'pagedown') ? c.pageSize : named(k, 'pageup') ? -c.pageSize : named(k, 'down') || (isChar(k) && k.ch === 'j') ? 1 : -1;
		return c.mode({...m, scroll: Math.max(0, (m.scroll ?? 0) + d)});
	}
	if (m.kind === 'confirm') {
		if (isChar(k) && (k.ch === 'y' || k.ch === 'Y')) return void c.apply(m.apply);
		if (named(k, 'esc') || (isChar(k) && (k.ch === 'n' || k.ch === 'N' || k.ch === 'q'))) c.mode({kind: 'normal'}, {text: 'cancelled: nothing changed'});
		return;
	}
	if (m.kind === 'info' && m.enter && named(k, 'enter')) return m.enter.run();
	if (named(k, 'esc') || named(k, 'enter') || (isChar(k) && (k.ch === 'q' || k.ch === '?'))) c.mode({kind: 'normal'});
}

/** One key in the mode the console is in (busy and Ctrl-C are the controller's). */
export function dispatch(c: Ctl, k: Key): void {
	const m = c.state.mode;
	if (m.kind === 'normal') return normalKey(c, k);
	if (m.kind === 'filter') return filterKey(c, k, m.text);
	if (m.kind === 'command') return commandKey(c, k, m.text);
	if (m.kind === 'form') return formKeyIn(c, k, m.form);
	if (m.kind === 'confirm' || m.kind === 'info' || m.kind === 'help') return panelKey(c, k, m);
}
