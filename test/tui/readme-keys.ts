// The README's console tables, generated from the registry (views.ts, bindings.ts, command.ts). The registry test
// fails when the README differs; `npx tsx test/tui/readme-keys.ts` rewrites them.
import {readFileSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {whereText} from '../../source/tui/binding.js';
import {ACTIONS, BINDINGS, FORM_HELP} from '../../source/tui/bindings.js';
import {COMMANDS} from '../../source/tui/command.js';
import {VIEWS} from '../../source/tui/views.js';

const code = (keys: string) => keys.split(' ').map(k => `\`${k}\``).join(' ');
const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

export function tables(): Record<string, string> {
	return {
		views: [
			row(['key', '`:` command', 'shows', 'Enter on a row']),
			row(['---', '---', '---', '---']),
			...VIEWS.map(v => row([v.key ? `\`${v.key}\`` : '', `\`:${v.name}${v.arg ? ` ${v.arg.label}` : ''}\``, v.summary, v.enter])),
		].join('\n'),
		keys: [
			row(['key', 'does']),
			row(['---', '---']),
			...BINDINGS.filter(b => b.group === 'moving' || b.group === 'matrix').map(b => row([code(b.show), `${b.help}${b.where === 'all' ? '' : ` (${whereText(b)})`}`])),
			...FORM_HELP.map(([k, t]) => row([`${code(k)} (forms)`, t])),
		].join('\n'),
		actions: [
			row(['key', 'where', 'does']),
			row(['---', '---', '---']),
			...ACTIONS.map(b => row([code(b.show), whereText(b), `${b.help}${b.writes ? '' : ' (allowed read-only)'}`])),
		].join('\n'),
		commands: [
			row(['command', 'does']),
			row(['---', '---']),
			...VIEWS.map(v => row([`\`:${v.name}${v.arg ? ` ${v.arg.label}` : ''}\`${v.aliases.length ? ` (${v.aliases.map(a => `:${a}`).join(' ')})` : ''}`, `the ${v.id} view`])),
			...COMMANDS.map(c => row([`\`:${c.name}${c.arg ? ` ${c.arg.label}` : ''}\`${c.aliases.length ? ` (${c.aliases.map(a => `:${a}`).join(' ')})` : ''}`, c.summary])),
		].join('\n'),
	};
}

export const README = resolve(import.meta.dirname, '..', '..', 'README.md');

/** The README's text between `<!-- registry:NAME -->` and `<!-- /registry:NAME -->`. */
export function section(text: string, name: string): string | undefined {
	const m = new RegExp(`<!-- registry:${name} -->\\n([\\s\\S]*?)\\n<!-- /registry:${name} -->`).exec(text);
	return m?.[1];
}

export function rewrite(text: string): string {
	let out = text;
	for (const [name, body] of Object.entries(tables())) {
		out = out.replace(new RegExp(`<!-- registry:${name} -->[\\s\\S]*?<!-- /registry:${name} -->`), () => `<!-- registry:${name} -->\n${body}\n<!-- /registry:${name} -->`);
	}
	return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(join(import.meta.dirname, 'readme-keys.ts'))) {
	writeFileSync(README, rewrite(readFileSync(README, 'utf8')));
	console.log('README.md: console tables rewritten from the registry');
}
