import {networkManage} from '../commands/compat.js';

// no top-level await: dist/ is CommonJS (scripts/build.mjs)
void networkManage(process.argv.slice(2)).then(code => {
	process.exitCode = code;
});
