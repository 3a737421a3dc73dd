#!/usr/bin/env bash
# Builds release zips of leadmatch for people without Rust: Linux x86_64 and Windows x86_64
# (cross-compiled with Debian's mingw-w64), each with the README, the docs and a sample list; the
# Windows zip adds start-workbench.bat, which starts the workbench and opens the browser on a
# double click. Zips go to dist/. A target that cannot be built here is skipped with the reason,
# and the script exits 1 when a target was blocked (0 when every zip was made).
#
#   scripts/package.sh                 # both targets
#   TARGETS=linux scripts/package.sh   # one of them
#   PROFILE=dev scripts/package.sh     # a quick unoptimised build, to check the packaging itself
#
# Windows needs the Rust standard library for x86_64-pc-windows-gnu
# (`rustup target add x86_64-pc-windows-gnu`) and the MinGW linker
# (`apt-get install gcc-mingw-w64-x86-64`).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-release}
targets=${TARGETS:-"linux windows"}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
out=dist
mkdir -p "$out"
dir_of() { if [ "$profile" = dev ]; then echo debug; else echo "$profile"; fi; }
blocked=()
made=()

stage() { # stage DIR BINARY...: the files every zip holds
    local d=$1; shift
    rm -rf "$d"; mkdir -p "$d/docs" "$d/seeds"
    cp "$@" "$d/"
    cp README.md "$d/"
    cp docs/interface.md docs/使用手册.md docs/workbench.png "$d/docs/"
    cp seeds/leads-wenzhou.csv "$d/seeds/"
}

zip_dir() { # zip_dir DIR ZIP
    rm -f "$2"
    (cd "$(dirname "$1")" && zip -qr "$(basename "$2")" "$(basename "$1")")
    mv "$(dirname "$1")/$(basename "$2")" "$2"
}

for t in $targets; do
    case $t in
    linux)
        triple=x86_64-unknown-linux-gnu
        cargo build --locked --profile "$profile" --target "$triple" --bin leadmatch
        name=leadmatch-$version-linux-x86_64
        stage "target/package/$name" "target/$triple/$(dir_of)/leadmatch"
        zip_dir "target/package/$name" "$out/$name.zip"
        made+=("$out/$name.zip")
        ;;
    windows)
        triple=x86_64-pc-windows-gnu
        libdir=$(rustc --print target-libdir --target "$triple" 2>/dev/null || true)
        if ! rustup target list --installed 2>/dev/null | grep -qx "$triple" && ! ls "$libdir"/libstd-* >/dev/null 2>&1; then
            blocked+=("windows: the Rust standard library for $triple is not installed (rustup target add $triple; it cannot be downloaded on this machine)")
            continue
        fi
        if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
            blocked+=("windows: the MinGW-w64 linker x86_64-w64-mingw32-gcc is missing (apt-get install gcc-mingw-w64-x86-64)")
            continue
        fi
        CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
            cargo build --locked --profile "$profile" --target "$triple" --bin leadmatch
        name=leadmatch-$version-windows-x86_64
        stage "target/package/$name" "target/$triple/$(dir_of)/leadmatch.exe" scripts/windows/start-workbench.bat
        zip_dir "target/package/$name" "$out/$name.zip"
        made+=("$out/$name.zip")
        ;;
    *)
        echo "unknown target $t (use linux or windows)" >&2
        exit 2
        ;;
    esac
done

for z in "${made[@]}"; do echo "built $z"; done
for b in "${blocked[@]}"; do echo "BLOCKED $b" >&2; done
[ ${#blocked[@]} -eq 0 ]
