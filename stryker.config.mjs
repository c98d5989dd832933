// Mutation testing of the pure layers against the pure tests (vitest.pure.config.ts): run by bench/mutation.ts, not
// by `npm test`. Low concurrency: the machine is shared. Reports go to .scratch/mutation (ignored by git).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'vitest',
	vitest: {configFile: 'vitest.pure.config.ts'},
	// the pure parts: core, and the dataplane's desired state and plan (the rest of dataplane/ reads and runs ip)
	mutate: [
		'source/core/**/*.ts',
		'source/dataplane/desired.ts',
		'source/dataplane/plan.ts',
		'source/dataplane/plan-inside.ts',
		'source/dataplane/plan-overlay.ts',
		'source/dataplane/change.ts',
		// the console's pure parts: keys, `:` commands, dispatch by mode, the key table, filters, text and cells
		'source/tui/keys.ts',
		'source/tui/command.ts',
		'source/tui/dispatch.ts',
		'source/tui/bindings.ts',
		'source/tui/format.ts',
		'source/tui/table-line.ts',
		'source/tui/views/filter.ts',
		'source/tui/screen/text.ts',
		'source/tui/screen/footer.ts',
	],
	coverageAnalysis: 'perTest',
	concurrency: 2,
	timeoutMS: 10_000,
	reporters: ['clear-text', 'json', 'progress'],
	jsonReporter: {fileName: '.scratch/mutation/mutation.json'},
	htmlReporter: {fileName: '.scratch/mutation/mutation.html'},
	tempDirName: '.scratch/stryker-tmp',
	cleanTempDir: 'always',
	thresholds: {high: 90, low: 80, break: null},
};
