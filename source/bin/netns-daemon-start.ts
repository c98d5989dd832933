import {netnsDaemonStart} from '../commands/compat.js';

// no top-level await: dist/ is CommonJS (scripts/build.mjs)
void netnsDaemonStart(process.argv.slice(2)).then(code => {
	process.exitCode = code;
});
