#!/usr/bin/env bash
# Builds and runs the README's template application against the library of this checkout:
# the files and commands are the README's own fenced blocks, each after a line
# "<!-- template-app: NAME -->", so that the README and this test cannot drift apart.
#
#   .ci/template-app.sh [WORK_DIR]     (default: target/template-app)
#
# The library goes into a local repository of its own (WORK_DIR/repo), never ~/.m2; what else
# the builds need is copied from ~/.m2 when it is there, else fetched from Maven Central.
# Run it after "mvn -B verify" (or package): it installs the jars that built, skipping tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mkdir -p "${1:-target/template-app}" && cd "${1:-target/template-app}" && pwd)
app=$work/app
start=$(date +%s)

# The README's blocks, by name: README.md -> $app/<name>
extract() {
    awk -v dir="$1" '
        /^<!-- template-app: .* -->$/ { name = $3; want = 1; next }
        want && /^```/ { want = 0; file = dir "/" name; inside = 1; printf "" > file; next }
        inside && /^```$/ { inside = 0; close(file); next }
        inside { print > file }
    ' README.md
}
rm -rf "$app" && mkdir -p "$app/src/main/java/com/example/app"
extract "$app"
for file in pom.xml src/main/java/module-info.java src/main/java/com/example/app/Main.java run.sh jlink.sh; do
    [[ -s $app/$file ]] || { echo "template-app: README.md has no block '$file'" >&2; exit 1; }
done

# A local repository for this test alone; ~/.m2 serves as a read-only mirror of Central.
mkdir -p "$work/repo"
cat > "$work/settings.xml" <<SETTINGS
<settings>
  <localRepository>$work/repo</localRepository>
  <profiles>
    <profile>
      <id>local-cache</id>
      <repositories>
        <repository><id>local-cache</id><url>file://$HOME/.m2/repository</url></repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository><id>local-cache</id><url>file://$HOME/.m2/repository</url></pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>local-cache</activeProfile></activeProfiles>
</settings>
SETTINGS
mkdir -p "$app/.mvn"
echo "-s $work/settings.xml" > "$app/.mvn/maven.config"

echo "template-app: installing the library into $work/repo"
t0=$(date +%s)
mvn -B -q -s "$work/settings.xml" install -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip \
    -pl coproc-bom,coproc-worker -am

echo "template-app: installed in $(( $(date +%s) - t0 )) s; building and running the README's template app in $app"
(cd "$app" && bash -euo pipefail run.sh) > "$work/run.out" 2> "$work/run.err" || {
    echo "template-app: FAILED; its output:" >&2; cat "$work/run.out" "$work/run.err" >&2; exit 1; }
# Maven's -q output still holds colour resets: keep only the lines the app printed.
sed -i 's/\x1b\[[0-9;]*m//g; /^$/d' "$work/run.out" "$work/run.err"
cat "$work/run.out"

# Two runs (module path, class path), each: the worker's greeting with its pid, then the reply.
expected='hello from worker PID
worker said Greeting[text=HI, count=2]
hello from worker PID
worker said Greeting[text=HI, count=2]'
if ! diff <(echo "$expected") <(sed -E 's/^(hello from worker )[0-9]+$/\1PID/' "$work/run.out") >&2; then
    echo "template-app: FAILED: the app's output differs from the expected (<) above" >&2
    exit 1
fi
if [[ -s $work/run.err ]]; then
    echo "template-app: FAILED: the app wrote to standard error:" >&2; cat "$work/run.err" >&2; exit 1
fi
echo "template-app: passed in $(( $(date +%s) - start )) s"
