// Runs jobs for the Rust interoperability test (tests/ballot/interop.rs) with
// the browser implementation, ui/src/lib/ballot/ballot.js, under Node:
//   node interop.mjs UI_LIB_BALLOT_DIR JOBS.json RESULTS.json
// Each job is {op: "verify", key, context, ballot} or {op: "encrypt", key,
// context, choices, seed?} or {op: "encrypt_plaintexts", key, context, lines}.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [dir, jobsPath, resultsPath] = process.argv.slice(2);
const lib = await import(pathToFileURL(join(dir, 'ballot.js')).href);
const { streamRandom } = await import(pathToFileURL(join(dir, 'stream-random.js')).href);

function run(job) {
  switch (job.op) {
    case 'verify':
      try {
        return { ok: true, tracker: lib.verifyBallot(job.key, job.context, job.ballot) };
      } catch (e) {
        if (!(e instanceof lib.BallotError)) throw e;
        return { ok: false, code: e.code, candidate: e.candidate ?? null, option: e.option ?? null, message: e.message };
      }
    case 'encrypt': {
      const opts = job.seed ? { randomBytes: streamRandom(job.seed) } : {};
      const started = performance.now();
      const ballot = lib.encryptBallot(job.key, job.context, job.choices, opts);
      return { ballot, tracker: lib.ballotTracker(ballot), ms: performance.now() - started };
    }
    case 'encrypt_plaintexts':
      return { ballot: lib.encryptPlaintexts(job.key, job.context, job.lines) };
    default:
      throw new Error(`unknown job ${job.op}`);
  }
}

const jobs = JSON.parse(readFileSync(jobsPath, 'utf8'));
writeFileSync(resultsPath, JSON.stringify(jobs.map(run)));
