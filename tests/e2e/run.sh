#!/usr/bin/env bash
# End-to-end test of the workbench (issue 6) in a real headless Chromium, driven over WebDriver
# (chromedriver) by tests/e2e/workbench.py: search 电竞, score a company, upload a CSV and check the
# download. Saves target/e2e/workbench.png. Skips, saying why, when Chromium or chromedriver is
# not installed (Debian: apt-get install chromium chromium-driver).
set -euo pipefail
cd "$(dirname "$0")/../.."
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
driver=$(command -v chromedriver || true)
if [ -z "$chrome" ] || [ -z "$driver" ]; then
    echo "SKIP e2e: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
    exit 0
fi
if ! command -v python3 >/dev/null; then
    echo "SKIP e2e: python3 is not installed"
    exit 0
fi
bin=${LEADMATCH_BIN:-${CARGO_TARGET_DIR:-target}/debug/leadmatch}
if [ ! -x "$bin" ]; then
    cargo build --locked --bin leadmatch
fi
exec python3 tests/e2e/workbench.py --bin "$bin" --chrome "$chrome" --driver "$driver" --out target/e2e
