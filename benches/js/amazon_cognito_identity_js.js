// Times amazon-cognito-identity-js's SRP client on the inputs the Rust benchmarks use.
//
// usage: node amazon_cognito_identity_js.js INSTALL_DIR INPUTS_JSON RUNS
//   INSTALL_DIR: where `npm install amazon-cognito-identity-js@6.3.21` ran (benches/compare.sh
//   uses ~/.cache/cognito-auth/npm/amazon-cognito-identity-js-6.3.21);
//   INPUTS_JSON: from `cargo run -p cognito-auth-benches --example srp_inputs -- 128`.
//
// One timed run is what CognitoUser.authenticateUser computes for PASSWORD_VERIFIER: A = g^a
// (getLargeAValue), the HKDF key (getPasswordAuthenticationKey: u, x, S) and the claim signature
// (HMAC-SHA256 with @aws-crypto/sha256-js, as CognitoUser does). The helper is constructed once,
// outside the timing (its constructor computes one throw-away A with a random a). Before timing,
// the result must equal the Rust core's (same a, B, salt, pool, user, password, timestamp).
// Prints one JSON line: {"version", "runs", "median_ms" (wall), "min_ms", "cpu_median_ms", ...}.
'use strict';

const fs = require('fs');
const path = require('path');

const [installDir, inputsPath, runsArg] = process.argv.slice(2);
if (!installDir || !inputsPath) {
  console.error('usage: node amazon_cognito_identity_js.js INSTALL_DIR INPUTS_JSON [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg || 30);
const packageDir = path.join(installDir, 'node_modules', 'amazon-cognito-identity-js');
const version = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
const lib = path.join(packageDir, 'lib');
const AuthenticationHelper = require(path.join(lib, 'AuthenticationHelper.js')).default;
const BigInteger = require(path.join(lib, 'BigInteger.js')).default;
const { Sha256 } = require(require.resolve('@aws-crypto/sha256-js', { paths: [lib] }));

const inputs = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
const helper = new AuthenticationHelper(inputs.pool_name);

function claim() {
  helper.smallAValue = new BigInteger(inputs.a_hex, 16);
  helper.largeAValue = undefined;
  let srpA;
  helper.getLargeAValue((err, value) => {
    if (err) throw err;
    srpA = value.toString(16);
  });
  const serverB = new BigInteger(inputs.srp_b, 16);
  const salt = new BigInteger(inputs.salt, 16);
  let signature;
  helper.getPasswordAuthenticationKey(inputs.user, inputs.password, serverB, salt, (err, hkdf) => {
    if (err) throw err;
    const message = Buffer.concat([
      Buffer.from(inputs.pool_name, 'utf8'),
      Buffer.from(inputs.user, 'utf8'),
      Buffer.from(inputs.secret_block, 'base64'),
      Buffer.from(inputs.timestamp, 'utf8'),
    ]);
    const hmac = new Sha256(hkdf);
    hmac.update(message);
    signature = Buffer.from(hmac.digestSync()).toString('base64');
  });
  if (srpA === undefined || signature === undefined) {
    throw new Error('amazon-cognito-identity-js did not call back synchronously');
  }
  return { srpA, signature };
}

const first = claim();
if (first.srpA !== inputs.expected_srp_a || first.signature !== inputs.expected_signature) {
  console.error(`amazon-cognito-identity-js ${version} disagrees with the Rust core:`);
  console.error(`  SRP_A matches: ${first.srpA === inputs.expected_srp_a}`);
  console.error(`  signature: ${first.signature} (core: ${inputs.expected_signature})`);
  process.exit(1);
}
claim(); // warm-up
const times = [];
const cpuTimes = [];
for (let i = 0; i < runs; i += 1) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  claim();
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  const cpu = process.cpuUsage(cpuStart);
  cpuTimes.push((cpu.user + cpu.system) / 1e3);
}
function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
console.log(JSON.stringify({
  version,
  node: process.version,
  a_bytes: inputs.a_hex.length / 2,
  runs,
  median_ms: median(times),
  min_ms: Math.min(...times),
  // process-wide CPU time (includes GC threads), for reference
  cpu_median_ms: median(cpuTimes),
  srp_a_matches: true,
  signature_matches: true,
}));
