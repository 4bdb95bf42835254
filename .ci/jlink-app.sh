#!/usr/bin/env bash
# Proves the README's jlink recipe: runs its "jlink.sh" block on the template app that
# .ci/template-app.sh built (building it first if it has not), then runs the image, whose
# worker is a real JVM started from the image's own java.
#
#   .ci/jlink-app.sh [WORK_DIR]     (default: target/template-app, as .ci/template-app.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-target/template-app}
if [[ ! -f $work/app/target/app.jar ]]; then
    bash .ci/template-app.sh "$work"
fi
work=$(cd "$work" && pwd)
start=$(date +%s)
echo "jlink-app: linking the template app with the README's recipe"
(cd "$work/app" && bash -euo pipefail jlink.sh) > "$work/jlink.out" 2> "$work/jlink.err" || {
    echo "jlink-app: FAILED; its output:" >&2; cat "$work/jlink.out" "$work/jlink.err" >&2; exit 1; }
sed -i 's/\x1b\[[0-9;]*m//g; /^$/d' "$work/jlink.out"
cat "$work/jlink.out"
image=$work/app/target/jlink/image
expected='hello from worker PID
worker said Greeting[text=HI, count=2]'
if ! diff <(echo "$expected") <(tail -n 2 "$work/jlink.out" | sed -E 's/^(hello from worker )[0-9]+$/\1PID/') >&2; then
    echo "jlink-app: FAILED: the image's app ended with other lines than the expected (<) above" >&2; exit 1
fi
"$image/bin/java" --list-modules | grep -q '^com.esotericsoftware.kryo' \
    || { echo "jlink-app: FAILED: Kryo is not in the image" >&2; exit 1; }
echo "jlink-app: passed in $(( $(date +%s) - start )) s ($(du -sh "$image" | cut -f1) image)"
