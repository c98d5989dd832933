import {netnsDaemonStop} from '../commands/compat.js';

process.exitCode = await netnsDaemonStop(process.argv.slice(2));
