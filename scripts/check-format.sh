#!/usr/bin/env bash
# Checks that every C++ file of the project is formatted by .clang-format (Debian's clang-format);
# prints the files that are not and exits 1. With --fix, formats them in place instead.
set -euo pipefail
cd "$(dirname "$0")/.."
format=clang-format
command -v "$format" >/dev/null || { echo "check-format: clang-format is not installed (scripts/install-deps.sh test)" >&2; exit 2; }
mapfile -t files < <(git ls-files -- '*.cc' '*.h' 2>/dev/null || find src include tools python bench fuzz tests -name '*.cc' -o -name '*.h')
if [[ "${1:-}" == "--fix" ]]; then
  "$format" -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  if ! "$format" --dry-run --Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done
if ((${#bad[@]})); then
  echo "check-format: ${#bad[@]} file(s) not formatted by .clang-format (run scripts/check-format.sh --fix):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
