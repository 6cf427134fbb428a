#!/usr/bin/env bash
# Builds the bench module and runs the allocate+free latency harness; prints a Markdown report.
# Usage: bench/latency.sh [--rounds N] [--ops N] [--warmup N] [--live N] [--seed N]
# Run it on an otherwise idle machine; it takes about a minute with the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

java_bin=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [[ -n "$candidate" && -x "$candidate/bin/java" ]] &&
       "$candidate/bin/java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then
        java_bin="$candidate/bin/java"
        break
    fi
done
if [[ -z "$java_bin" ]]; then
    echo "bench/latency.sh: no JDK 25 or newer found (set JAVA_HOME)" >&2
    exit 1
fi

./mvnw -q -B -pl bench -am package -DskipTests
exec "$java_bin" --enable-native-access=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
    -Xms512m -Xmx512m -XX:+AlwaysPreTouch \
    -cp "bench/target/bench.jar:bench/target/lib/*" dev.hostalloc.bench.latency.LatencyHarness "$@"
