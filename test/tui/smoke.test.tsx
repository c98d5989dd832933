import {expect, it} from 'vitest';
import {openMemoryConsole, KEY} from './harness.js';
import {world} from './memory.js';

it('smoke', async () => {
	const h = await openMemoryConsole({h1: world({blue: '10.1.0.0/24', green: '10.2.0.0/24'}, {web: ['blue', 'green'], db: 'blue'})});
	let f = await h.waitFor('apps [2]');
	console.log(f);
	await h.press('4');
	f = await h.waitFor('targets [2]');
	console.log(f);
	await h.press('?');
	console.log(await h.waitFor('keys'));
	await h.press(KEY.esc, 'b');
	console.log(await h.waitFor('bind an app'));
	h.close();
});
