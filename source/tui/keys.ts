// Keys as the console handles them: one at a time. A terminal delivers fast typing as one chunk ("jjj",
// "/blue\r"), and Ink hands such a chunk over whole, so it is walked here character by character.
import type {Key as InkKey} from 'ink';

export type Named = 'enter' | 'esc' | 'tab' | 'backtab' | 'backspace' | 'up' | 'down' | 'left' | 'right' | 'pageup' | 'pagedown' | 'home' | 'end' | 'ctrl-c';
export type Key = {readonly name: Named} | {readonly ch: string};

export const isChar = (k: Key): k is {ch: string} => 'ch' in k;
export const named = (k: Key, name: Named) => 'name' in k && k.name === name;

const CONTROL: Record<string, Named> = {
	'\r': 'enter',
	'\n': 'enter',
	'\t': 'tab',
	'\x7f': 'backspace',
	'\b': 'backspace',
	'\x1b': 'esc',
	'\x03': 'ctrl-c',
	'\x06': 'pagedown', // Ctrl-F
	'\x02': 'pageup', // Ctrl-B
	'\x04': 'pagedown', // Ctrl-D
	'\x15': 'pageup', // Ctrl-U
};

/** Splits raw text into keys, one per character (control characters named). */
export function keysOfText(text: string): Key[] {
	const keys: Key[] = [];
	for (const ch of text) {
		const name = CONTROL[ch];
		if (name) keys.push({name});
		else if (ch >= ' ') keys.push({ch});
	}
	return keys;
}

/** What Ink's useInput reports, as the keys the operator typed. */
export function decode(input: string, key: InkKey): Key[] {
	if (key.upArrow) return [{name: 'up'}];
	if (key.downArrow) return [{name: 'down'}];
	if (key.leftArrow) return [{name: 'left'}];
	if (key.rightArrow) return [{name: 'right'}];
	if (key.pageUp) return [{name: 'pageup'}];
	if (key.pageDown) return [{name: 'pagedown'}];
	if (key.home) return [{name: 'home'}];
	if (key.end) return [{name: 'end'}];
	if (key.tab && key.shift) return [{name: 'backtab'}];
	if (key.ctrl && input.length === 1) {
		const code = input.toLowerCase().charCodeAt(0) - 96;
		return code > 0 && code < 27 ? keysOfText(String.fromCharCode(code)) : [];
	}
	if (input === '') {
		if (key.return) return [{name: 'enter'}];
		if (key.escape) return [{name: 'esc'}];
		if (key.tab) return [{name: 'tab'}];
		if (key.backspace || key.delete) return [{name: 'backspace'}];
		return [];
	}
	return keysOfText(input);
}
