#!/usr/bin/env bash
# The test suite, whole or one tier (README "Tests"). Installs what the chosen tests need when it is missing (as
# root), then runs dotnet test and prints one summary line.
#   ./test.sh                    everything: what CI (.ci/run) runs
#   ./test.sh --fast             the unit tier alone: no PostgreSQL, no simulated tenant, no Chromium
#   ./test.sh --tier NAME        unit | integration | browser | chaos
# Any other argument goes to dotnet test (e.g. --no-build, --logger ...).
set -euo pipefail
cd "$(dirname "$0")"

tier=all
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) tier=unit ;;
    --tier) tier="${2:?--tier needs a name: unit, integration, browser or chaos}"; shift ;;
    --tier=*) tier="${1#--tier=}" ;;
    *) args+=("$1") ;;
  esac
  shift
done

# Each run is "project|filter". In B2BPortal.Web.Tests the Tier trait (Infrastructure/Tier.cs) marks browser and
# chaos classes; every other class there is integration.
web=tests/B2BPortal.Web.Tests/B2BPortal.Web.Tests.csproj
case "$tier" in
  all) runs=("B2BPortal.sln|"); need_pg=1; need_chromium=1; need_node=1 ;;
  unit) runs=("tests/B2BPortal.Web.UnitTests/B2BPortal.Web.UnitTests.csproj|"); need_pg=0; need_chromium=0; need_node=0 ;;
  integration) runs=("tests/B2BPortal.Simulator.Tests/B2BPortal.Simulator.Tests.csproj|" "$web|Tier!=browser&Tier!=chaos"); need_pg=1; need_chromium=0; need_node=1 ;;
  browser) runs=("$web|Tier=browser"); need_pg=1; need_chromium=1; need_node=0 ;;
  chaos) runs=("$web|Tier=chaos"); need_pg=1; need_chromium=0; need_node=0 ;;
  *) echo "test.sh: unknown tier '$tier' (unit, integration, browser, chaos)" >&2; exit 2 ;;
esac

if [ "$(id -u)" = 0 ]; then
  need=()
  [ "$need_chromium" = 0 ] || [ -x /usr/bin/chromium ] || need+=(chromium)
  [ "$need_pg" = 0 ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  # Api/OpenApiDocumentTests lints the OpenAPI document with Spectral, which npm installs into tests/.tools.
  [ "$need_node" = 0 ] || { command -v node && command -v npm; } >/dev/null 2>&1 || need+=(nodejs npm)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  fi
fi

log=$(mktemp)
status=0
set +e
# The benchmarks are no test project (B2BPortal.sln leaves them out), but they call the pages and services directly: the
# whole run builds them so a change that breaks them fails here rather than at the next measurement.
if [ "$tier" = all ]; then
  bench=$(mktemp)
  if ! dotnet build tests/B2BPortal.Benchmarks/B2BPortal.Benchmarks.csproj -c Release >"$bench" 2>&1; then
    grep -E ' error ' "$bench" | sort -u
    echo "test.sh: the benchmarks do not build (errors above)"
    status=1
  fi
  rm -f "$bench"
fi
for run in "${runs[@]}"; do
  target="${run%%|*}"
  filter="${run#*|}"
  # A test host that reports nothing for 10 minutes (a test or a fixture that hangs) is stopped and the test it was
  # running is named, so a hang fails the run with its name instead of holding CI until its own time limit.
  command=(dotnet test "$target" -c Release --blame-hang-timeout 10m --blame-hang-dump-type none)
  [ -z "$filter" ] || command+=(--filter "$filter")
  "${command[@]}" ${args[@]+"${args[@]}"} 2>&1 | tee -a "$log"
  code=${PIPESTATUS[0]}
  [ "$code" = 0 ] || status=$code
done
set -e
# One closing line for the whole run, summed over the test assemblies.
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
echo "$(sum Passed) passed, $(sum Failed) failed, $(sum Skipped) skipped"
rm -f "$log"
exit "$status"
