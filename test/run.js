#!/usr/bin/env node
// Runs mocha with the project's reporter, which ends with one plain totals line
// ("N passed, N failed"), so a run that executed no test shows as "0 passed, 0 failed".
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const mochaBin = require.resolve('mocha/bin/mocha.js');
const given = process.argv.slice(2);
// With no file arguments, run the whole suite.
const specs = given.some((a) => !a.startsWith('-')) ? [] : ['test/**/*.test.ts'];
const args = [mochaBin, '--reporter', path.join(__dirname, 'helpers', 'totals-reporter.js'), ...given, ...specs];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
process.exit(result.status ?? 1);
