/** Runs fn over items with at most `width` in flight: enough to keep two cores busy without a fork storm. */
export async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({length: Math.min(width, items.length)}, async () => {
			while (next < items.length) await fn(items[next++]!);
		}),
	);
}
