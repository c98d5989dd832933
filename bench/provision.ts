// Host benchmarks with real namespaces (root): bind 200 apps, status --json at 200 apps, unbind all 200, each
// against the naive way measured in the same run. Run: npm run build && npx tsx bench/provision.ts [N]
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {bindAll, unbindAll} from '../source/provision/apps.js';
import {openContext} from '../source/provision/context.js';
import {createNetwork} from '../source/provision/networks.js';
import {ip, seedBind, seedUnbind, seedVrouter} from './seed.js';
import {median, ms, ratio, time} from './stats.js';

const N = Number(process.argv[2] ?? 200);
const RUNS = 3;
const ours = (prefix: string) => readdirSync('/run/netns').filter(n => n.startsWith(prefix));
function wipe(prefix: string) {
	const names = ours(prefix);
	if (names.length) spawnSync('ip', ['-force', '-batch', '-'], {input: names.map(n => `netns del ${n}`).join('\n') + '\n'});
}
async function settled(prefix: string, keep: number) {
	while (ours(prefix).length > keep) await new Promise(r => setTimeout(r, 5));
}

/** The naive way: one `ip` process per command (the recipe's `ip -n NS ...` column), same work as a bind. */
function naiveBind(prefix: string, n: number) {
	seedVrouter(prefix);
	for (let i = 0; i < n; i++) seedBind(prefix, i, `10.200.${i >> 8}.${(i & 255) + 2}`);
}

/** The naive inventory: every app namespace read one by one (addresses, then routes). */
function naiveStatus(prefix: string) {
	for (const ns of ours(`${prefix}ns-`)) {
		ip('-n', ns, '-j', 'addr');
		ip('-n', ns, '-j', 'route');
	}
}

/** The naive teardown: per app `ip rule del`, `ip link del`, `ip netns del`. */
function naiveUnbind(prefix: string, n: number) {
	for (let i = 0; i < n; i++) seedUnbind(prefix, i);
}

export async function benchProvision() {
	const prefix = 'bnch-';
	const naive = 'bnvz-';
	const dir = mkdtempSync(join(tmpdir(), 'nsdeck-bench-'));
	const env = {...process.env, NSDECK_STATE_DIR: dir, NSDECK_NS_PREFIX: prefix};
	wipe(prefix);
	wipe(naive);
	const ctx = openContext(env);
	try {
		await createNetwork(ctx, {name: 'blue', subnet: '10.200.0.0/16'});
		const apps = Array.from({length: N}, (_, i) => ({app: `a${i}`, network: 'blue'}));
		const bind: number[] = [];
		const unbind: number[] = [];
		const unbindSettled: number[] = [];
		const status: number[] = [];
		const reconcile: number[] = [];
		const floor: number[] = [];
		const naiveBindT: number[] = [];
		const naiveStatusT: number[] = [];
		const naiveUnbindT: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			bind.push(await time(() => bindAll(ctx, apps)));
			if (run === 0) {
				for (let i = 0; i < 9; i++) {
					status.push(await time(() => execFileSync(process.execPath, ['dist/cli.js', 'status', '--json'], {env, stdio: ['ignore', 'pipe', 'inherit']})));
				}
				for (let i = 0; i < RUNS; i++) naiveStatusT.push(await time(() => naiveStatus(prefix)));
				for (let i = 0; i < 9; i++) {
					const out = execFileSync(process.execPath, ['dist/cli.js', 'reconcile'], {env, encoding: 'utf8'});
					if (out.trim() !== 'in sync: nothing to do') throw new Error(`a clean host reconciled to changes: ${out}`);
				}
				for (let i = 0; i < 9; i++) reconcile.push(await time(() => execFileSync(process.execPath, ['dist/cli.js', 'reconcile'], {env, stdio: ['ignore', 'pipe', 'inherit']})));
				for (let i = 0; i < 9; i++) floor.push(await time(() => execFileSync(process.execPath, ['-e', '0'])));
			}
			const t0 = performance.now();
			unbind.push(await time(() => unbindAll(ctx, apps.map(a => a.app))));
			await settled(`${prefix}ns-`, 0);
			unbindSettled.push(performance.now() - t0);

			naiveBindT.push(await time(() => naiveBind(naive, N)));
			naiveUnbindT.push(await time(() => naiveUnbind(naive, N)));
			wipe(naive);
			await settled(naive, 0);
		}
		return {N, bind: median(bind), naiveBind: median(naiveBindT), status: median(status), naiveStatus: median(naiveStatusT), reconcile: median(reconcile), floor: median(floor), unbind: median(unbind), unbindSettled: median(unbindSettled), naiveUnbind: median(naiveUnbindT)};
	} finally {
		ctx.close();
		wipe(prefix);
		wipe(naive);
		rmSync(dir, {recursive: true, force: true});
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const r = await benchProvision();
	console.log(`bind ${r.N} apps (one operation): median ${ms(r.bind)} = ${ms(r.bind / r.N)} per app (target <= 10); one ip process per command: ${ms(r.naiveBind)} = ${ms(r.naiveBind / r.N)} per app; ${ratio(r.naiveBind, r.bind)} faster (target >= 4x)`);
	console.log(`status --json with ${r.N} apps (whole CLI process): median ${ms(r.status)} (target <= 150); every namespace read one by one: ${ms(r.naiveStatus)}; ${ratio(r.naiveStatus, r.status)} faster (target >= 8x)`);
	console.log(`reconcile of a clean host with ${r.N} apps (whole CLI process, every namespace's inside read): median ${ms(r.reconcile)} (target <= 200); node -e 0: ${ms(r.floor)} (${ratio(r.reconcile, r.floor)} of the floor)`);
	console.log(`status --json against the floor: ${ratio(r.status, r.floor)} of node -e 0`);
	console.log(`unbind all ${r.N}: median ${ms(r.unbind)} (namespaces gone after ${ms(r.unbindSettled)}; target <= 300); rule+link+netns del per app: ${ms(r.naiveUnbind)}; ${ratio(r.naiveUnbind, r.unbind)} faster`);
}
