import {defineConfig} from 'vitest/config';

/**
 * The pure tests alone (test/core: no root, no kernel, no build): what the mutation run (bench/mutation.ts, Stryker)
 * runs against each mutant. `npm test` uses vitest.config.ts, which includes these too.
 */
export default defineConfig({
	test: {
		include: ['test/core/**/*.test.ts'],
		env: {NODE_ENV: 'production', FORCE_COLOR: '0'},
	},
});
