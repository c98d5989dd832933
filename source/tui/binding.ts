// One key binding as the registry declares it: the keys, how help and the README write them, the footer's word, the
// help text, the views where it acts, whether it changes the host (refused on a read-only console), and what it does.
import type {Ctl} from './ctl.js';
import {named, type Key, type Named} from './keys.js';
import type {ViewId} from './views.js';

export type Group = 'views' | 'moving' | 'matrix' | 'actions';

export type Binding = {
	readonly id: string;
	readonly keys: readonly Key[];
	/** the keys as help and the README write them */
	readonly show: string;
	/** the footer's word for it */
	readonly label: string;
	readonly help: string;
	readonly group: Group;
	readonly where: 'all' | readonly ViewId[];
	/** changes the host: hidden and refused on a read-only console */
	readonly writes?: boolean;
	/** in the footer only when this holds (default: wherever it acts); false: never */
	readonly footer?: false | ((c: Ctl) => boolean);
	readonly run: (c: Ctl, key: Key) => void;
};

export const ch = (c: string): Key => ({ch: c});
export const nm = (n: Named): Key => ({name: n});

export function keyMatches(k: Key, key: Key): boolean {
	return 'ch' in k ? 'ch' in key && key.ch === k.ch : named(key, k.name);
}

export function appliesIn(b: Binding, view: ViewId): boolean {
	return b.where === 'all' || b.where.includes(view);
}

/** Where a binding acts, as help and the README say it. */
export function whereText(b: Binding): string {
	return b.where === 'all' ? 'anywhere' : b.where.join(', ');
}
