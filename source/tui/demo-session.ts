// `:demo` and `:demo clean`: builds the single-host demo in its own prefix and store (or takes one prepared by
// `nsdeck demo --hosts N`), switches the console to it with its steps, and removes it on `:demo clean` or on quit,
// going back to the host the console showed before.
import {buildDemo, cleanDemo, demoContext, demoEnv, demoLeftover, type DemoPlace} from '../provision/demo.js';
import type {Backend} from './backend.js';
import type {ConsoleController} from './controller.js';
import {demoBackend, DemoDriver, type DemoWorld} from './demo.js';
import {message} from './state.js';

export class DemoSession {
	private driver: DemoDriver | undefined;
	private home: Backend | undefined;

	constructor(private readonly env: NodeJS.ProcessEnv, private readonly prepared?: DemoWorld) {}

	tag(): string | undefined {
		return this.driver?.tag() || undefined;
	}

	command(c: ConsoleController, arg: string): void {
		if (arg === 'clean') return void this.end(c);
		if (arg !== '') return c.flash(`unknown ':demo ${arg}' (:demo starts or shows the current step, :demo clean removes it)`, 'bad');
		if (this.driver) return this.driver.card();
		if (c.readonly) return c.flash('read-only console: the demo builds networks and apps (in a sandbox of its own); start without --readonly', 'bad');
		void this.begin(c);
	}

	private async build(c: ConsoleController): Promise<DemoWorld> {
		if (this.prepared) return this.prepared;
		const e = demoEnv(this.env);
		let ctx = demoContext(this.env);
		if (demoLeftover(ctx)) {
			c.mode({kind: 'busy', text: `removing an earlier demo in ${e.dir}…`});
			await cleanDemo([ctx]);
			ctx = demoContext(this.env);
		}
		const place: DemoPlace = {web: ctx, client: ctx, all: [ctx]};
		try {
			await buildDemo(place, line => c.mode({kind: 'busy', text: `building the demo (prefix ${e.prefix}): ${line}…`}));
		} catch (err) {
			await cleanDemo([ctx]).catch(() => {});
			throw err;
		}
		return {place, backend: demoBackend(place, c.now), clean: async () => void (await cleanDemo([ctx])), where: `its own prefix ${e.prefix} and store ${e.dir}`};
	}

	private async begin(c: ConsoleController): Promise<void> {
		this.home = c.backend;
		let world: DemoWorld;
		try {
			world = await this.build(c);
		} catch (e) {
			return c.mode({kind: 'normal'}, {text: `demo: ${message(e)}`, tone: 'bad'});
		}
		c.beforeQuit = () => world.clean();
		if (world.backend && !(await c.showHost(world.backend, `demo ready in ${world.where}`, {id: 'apps'}))) return;
		this.driver = new DemoDriver(c, world, () => this.end(c));
		this.driver.start();
	}

	/** Removes the demo and goes back to the host shown before. */
	async end(c: ConsoleController): Promise<void> {
		const d = this.driver;
		if (!d) {
			if (this.prepared) return c.flash('the demo was removed already', 'info');
			c.mode({kind: 'busy', text: 'removing what an earlier demo left…'});
			const gone = await cleanDemo([demoContext(this.env)]).catch(e => [`failed: ${message(e)}`]);
			return c.mode({kind: 'normal'}, {text: gone.length ? `demo clean: ${gone.join(', ')}` : 'demo clean: nothing to remove', tone: 'good'});
		}
		d.stop();
		this.driver = undefined;
		c.beforeQuit = undefined;
		c.mode({kind: 'busy', text: 'removing the demo: its apps, networks, namespaces and state…'});
		let said = 'demo removed: nothing of it is left';
		try {
			await d.world.clean();
		} catch (e) {
			said = `demo clean failed: ${message(e)} (run 'nsdeck demo clean')`;
		}
		// a demo across a lab leaves nothing to go back to: the console ends with it
		if (this.prepared) return c.quit();
		if (this.home) await c.showHost(this.home, said, {id: 'apps'});
		else c.mode({kind: 'normal'}, {text: said, tone: 'good'});
	}
}
