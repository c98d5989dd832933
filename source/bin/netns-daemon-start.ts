import {netnsDaemonStart} from '../commands/compat.js';

process.exitCode = await netnsDaemonStart(process.argv.slice(2));
