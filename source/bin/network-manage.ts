import {networkManage} from '../commands/compat.js';

process.exitCode = await networkManage(process.argv.slice(2));
