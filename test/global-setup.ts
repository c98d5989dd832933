import {execFileSync} from 'node:child_process';

/** The CLI tests run the real built `nsdeck`, so build it once before any test. */
export default function setup(): void {
	execFileSync(process.execPath, ['scripts/build.mjs'], {stdio: 'inherit'});
}
