// Preloaded by bench/cli.ts (`node -r ./bench/trace.cjs dist/cli.js ...`): records when the process got here
// (Node's own start-up done), when the store's native addon loads (module loading done, the store opens), and every
// child process (start, end, what it is), then writes them as JSON to $NSDECK_BENCH_TRACE at exit. Timestamps are
// performance.now(): ms since this process started. It changes nothing nsdeck does. CommonJS and preloaded with -r:
// `--import` would run the whole program through the ES module loader, which is not how nsdeck starts.
const childProcess = require('node:child_process');
const {writeFileSync} = require('node:fs');
const {syncBuiltinESMExports} = require('node:module');

const out = process.env.NSDECK_BENCH_TRACE;
const events = {preload: performance.now(), dlopen: [], children: [], timers: []};

const dlopen = process.dlopen;
process.dlopen = function (...args) {
	const start = performance.now();
	try {
		return dlopen.apply(this, args);
	} finally {
		events.dlopen.push({start, end: performance.now(), file: String(args[1]).split('/').pop()});
	}
};

const spawn = childProcess.spawn;
childProcess.spawn = function (command, args = [], ...rest) {
	const entry = {start: performance.now(), end: undefined, command, args: Array.isArray(args) ? args.slice(0, 8) : []};
	events.children.push(entry);
	const child = spawn.call(this, command, args, ...rest);
	// a detached daemon (bind -- COMMAND) outlives us: its end is when it was handed over
	if (rest[0]?.detached) entry.end = performance.now();
	else child.once('close', () => (entry.end = performance.now()));
	return child;
};
syncBuiltinESMExports();

// waits: a timer of 1 ms or more that nsdeck sets (a poll, a back-off) and the time until it fires
const setTimer = globalThis.setTimeout;
globalThis.setTimeout = function (fn, delay, ...args) {
	if (typeof fn !== 'function' || !(delay >= 1)) return setTimer(fn, delay, ...args);
	const entry = {start: performance.now(), end: undefined, delay};
	events.timers.push(entry);
	const timer = setTimer(() => {
		entry.end = performance.now();
		fn(...args);
	}, delay);
	return timer;
};

process.once('exit', () => {
	events.exit = performance.now();
	if (out) writeFileSync(out, JSON.stringify(events));
});
