// Reading the host again: on a timer, on `r`, after every action. A refresh asked for while one runs is done once
// more right after it (never two at once), and a read that lands after the console moved to another host is dropped.
export class Refresher {
	private running: Promise<void> | undefined;
	private again = false;
	private timers: NodeJS.Timeout[] = [];

	constructor(private readonly readOnce: () => Promise<void>) {}

	refresh(): Promise<void> {
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.running = (async () => {
			do {
				this.again = false;
				await this.readOnce();
			} while (this.again);
			this.running = undefined;
		})();
		return this.running;
	}

	/** Refreshes every `intervalMs` (none when 0) and ticks every second (the header's age, the flash's expiry). */
	start(intervalMs: number, tick: () => void): void {
		if (intervalMs > 0) this.timers.push(setInterval(() => void this.refresh(), intervalMs));
		this.timers.push(setInterval(tick, 1000));
	}

	stop(): void {
		for (const t of this.timers) clearInterval(t);
		this.timers = [];
	}
}
