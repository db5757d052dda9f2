'use strict';
// Mocha's spec reporter plus a final "N passed, N failed" line that CI reads.
const Mocha = require('mocha');

class TotalsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    this.statsRef = runner.stats;
    this.runnerRef = runner;
  }

  // Mocha calls done() after the run ends (after the spec epilogue) and before exiting.
  done(failures, callback) {
    const stats = this.runnerRef.stats ?? this.statsRef ?? {};
    process.stdout.write(`\n${stats.passes ?? 0} passed, ${stats.failures ?? 0} failed\n`, () => callback(failures));
  }
}
module.exports = TotalsReporter;
