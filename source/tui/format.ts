// Text only the console needs: ages and cutting to a width. Origins, targets and diffs are provision/text.ts.
export function ago(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	if (s < 60) return `${s}s ago`;
	if (s < 3600) return `${Math.floor(s / 60)}m ago`;
	return `${Math.floor(s / 3600)}h ago`;
}

/** Cuts text to a width with an ellipsis; pads to it when `pad`. */
export function fit(text: string, width: number, pad = true): string {
	if (width <= 0) return '';
	if (text.length > width) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
	return pad ? text.padEnd(width) : text;
}
