// The registry is the one place a view or key is declared: the README's tables are generated from it, no key is
// bound twice where it acts, and every binding says where it acts and what it does.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {appliesIn, keyMatches} from '../../source/tui/binding.js';
import {BINDINGS} from '../../source/tui/bindings.js';
import {COMMANDS} from '../../source/tui/command.js';
import {VIEWS} from '../../source/tui/views.js';
import {README, section, tables} from './readme-keys.js';

describe('the registry of views and keys', () => {
	it("the README's console tables are exactly the registry's (npx tsx test/tui/readme-keys.ts rewrites them)", () => {
		const text = readFileSync(README, 'utf8');
		for (const [name, body] of Object.entries(tables())) {
			expect(section(text, name), `README section registry:${name}`).toBe(body);
		}
	});

	it('no key is bound twice in any view, and every binding has keys, help and a place', () => {
		for (const v of VIEWS) {
			const here = BINDINGS.filter(b => appliesIn(b, v.id));
			for (const b of here) {
				for (const k of b.keys) {
					const clash = here.filter(o => o !== b && o.keys.some(x => keyMatches(x, k)));
					expect(clash.map(o => o.id), `${v.id}: ${JSON.stringify(k)} of ${b.id}`).toEqual([]);
				}
			}
		}
		for (const b of BINDINGS) {
			expect(b.keys.length, b.id).toBeGreaterThan(0);
			expect(b.help.length, b.id).toBeGreaterThan(5);
			if (b.where !== 'all') for (const w of b.where) expect(VIEWS.some(v => v.id === w), `${b.id} acts in ${w}`).toBe(true);
		}
	});

	it('views and commands have distinct names; every top view has a number key', () => {
		const names = [...VIEWS.flatMap(v => [v.name, ...v.aliases]), ...COMMANDS.flatMap(c => [c.name, ...c.aliases])];
		expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
		expect(VIEWS.filter(v => v.id !== 'app').map(v => v.key)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
	});
});
