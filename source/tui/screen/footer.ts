// The footer: the keys that work where you are, from the registry (actions first), or the keys of the mode.
import {appliesIn} from '../binding.js';
import {BINDINGS, MODE_KEYS} from '../bindings.js';
import type {Ctl} from '../ctl.js';

const ENTER: Partial<Record<string, string>> = {hosts: 'switch host', routes: 'explain', app: 'explain', log: 'show'};

export function footerText(c: Ctl): string {
	const m = c.state.mode;
	if (m.kind === 'form') return MODE_KEYS.form.replace('{enter}', m.form.enter);
	if (m.kind !== 'normal') return MODE_KEYS[m.kind];
	const view = c.top.view.id;
	const here = BINDINGS.filter(b => appliesIn(b, view) && b.footer !== false && !(b.writes && c.readonly) && (typeof b.footer !== 'function' || b.footer(c)));
	const word = (b: (typeof here)[number]) => {
		const keys = b.show.split(' ')[0]!;
		const label = b.id === 'drill' ? (ENTER[view] ?? b.label) : b.label;
		return label ? `${keys} ${label}` : keys;
	};
	return [...here.filter(b => b.group === 'actions'), ...here.filter(b => b.group === 'matrix'), ...here.filter(b => b.group === 'moving')].map(word).join('  ');
}
