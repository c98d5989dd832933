// Where the console's start-up time goes: with NSDECK_TRACE_START=FILE, each step's time since the process started
// (performance.now()) is written to FILE as JSON once the first full frame is on screen (bench/render.tsx reads it).
import {writeFileSync} from 'node:fs';

const marks: Array<[string, number]> = [];
let done = false;

export function mark(name: string): void {
	if (!done && process.env.NSDECK_TRACE_START) marks.push([name, performance.now()]);
}

/** The first full frame is written: the marks go to the file, once. */
export function markFrame(): void {
	const file = process.env.NSDECK_TRACE_START;
	if (done || !file) return;
	mark('first full frame committed');
	done = true;
	writeFileSync(file, JSON.stringify(Object.fromEntries(marks)));
}
