// Text shaping for panels: wrapping to a width with a hanging indent.
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
