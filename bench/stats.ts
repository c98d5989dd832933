/** Medians, so one slow run (a GC, the other core busy) does not decide a figure. */
export function median(xs: readonly number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function time(fn: () => unknown): Promise<number> {
	const t = performance.now();
	await fn();
	return performance.now() - t;
}

export const ms = (x: number) => `${x.toFixed(1)} ms`;
export const ratio = (slow: number, fast: number) => `${(slow / fast).toFixed(1)}x`;
