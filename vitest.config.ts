import {defineConfig} from 'vitest/config';

export default defineConfig({
	// The tests run React's production build (NODE_ENV below), which has no jsxDEV: compile JSX for it.
	oxc: {jsx: {runtime: 'automatic', development: false}},
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		globalSetup: ['test/global-setup.ts'],
		pool: 'forks',
		testTimeout: 120_000,
		hookTimeout: 120_000,
		env: {NODE_ENV: 'production', FORCE_COLOR: '0'},
	},
});
