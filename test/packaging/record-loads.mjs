// Preload (`node --import ./record-loads.mjs ...`): appends every module the process loads to $NSDECK_LOADS, one
// file a line: ES modules through a resolve hook (run in the loader's thread: this same file, with ?hooks), CommonJS
// ones through Module._load. Used by static-imports.test.ts to see what a scripted command really loads.
import {appendFileSync} from 'node:fs';
import Module, {register} from 'node:module';

const log = process.env.NSDECK_LOADS;

export async function resolve(specifier, context, next) {
	const r = await next(specifier, context);
	if (log) appendFileSync(log, `${r.url}\n`);
	return r;
}

if (new URL(import.meta.url).search !== '?hooks' && log) {
	register(`${import.meta.url}?hooks`);
	const load = Module._load;
	Module._load = function (request, parent, ...rest) {
		const exports = load.call(this, request, parent, ...rest);
		try {
			appendFileSync(log, `${request.startsWith('node:') || Module.isBuiltin(request) ? request : Module._resolveFilename(request, parent)}\n`);
		} catch {}
		return exports;
	};
}
