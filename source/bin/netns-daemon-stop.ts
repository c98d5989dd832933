import {netnsDaemonStop} from '../commands/compat.js';

// no top-level await: dist/ is CommonJS (scripts/build.mjs)
void netnsDaemonStop(process.argv.slice(2)).then(code => {
	process.exitCode = code;
});
