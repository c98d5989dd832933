// Text shaping for panels: wrapping to a width with a hanging indent, by words or by whole list items.
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
