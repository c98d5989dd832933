import {execFileSync} from 'node:child_process';
import {guardHost} from './host-guard.js';

/**
 * The CLI tests run the real built `nsdeck`, so build it once before any test. The host guard reads the root
 * namespace's routes, rules and addresses now and compares them once every test has run (the returned teardown).
 */
export default function setup(): () => void {
	execFileSync(process.execPath, ['scripts/build.mjs'], {stdio: 'inherit'});
	return guardHost();
}
