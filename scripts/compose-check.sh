#!/usr/bin/env bash
# Checks docker-compose.yml for real on a machine that cannot pull images (such as CI):
#   1. starts a Docker engine unless one answers (state under $LAB_DOCKER_DIR),
#   2. makes the local bases: localhost/debian:bookworm (debootstrap) and localhost/prunelab-jre:25 (jlink),
#   3. builds every image of the stack with docker-compose.local.yml,
#   4. brings up Kafka, the three services, Prometheus and the study poster on an internal network, with a small
#      study as the request, and waits with the `report` service until every variant the run announced is evaluated
#      (the services must stay up meanwhile); the report service then writes the run's results and report,
#   5. checks through `docker exec` that Prometheus inside the stack holds the study's series,
#   6. checks that every chart the report names is a PNG and its table has every row,
#   7. prints the images' sizes and the times taken, then removes the stack (containers, network, volumes) and
#      stops the engine it started. Images stay in the engine's store for the next run.
# Needs: root, Debian's docker.io, docker-compose and debootstrap (.ci/run installs them), the datasets in data/
# and the packaged services (built here when missing).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
source bin/java-env

dir=${LAB_DOCKER_DIR:-/var/tmp/prunelab-docker}
run_id=${COMPOSE_CHECK_RUN:-compose-check}
percentages=${COMPOSE_CHECK_PERCENTAGES:-0,50,90}
timeout_s=${COMPOSE_CHECK_TIMEOUT:-1200}
compose=(docker-compose -p prunelab-check -f docker-compose.yml -f docker-compose.local.yml)
services=(kafka trainer-service pruner-service evaluator-service prometheus study)
started_engine=""
t0=$(date +%s)

log() { printf '[compose-check %4ss] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }
fail() { log "FAILED: $*"; exit 1; }

cleanup() {
  local rc=$?
  if [ -n "${DOCKER_HOST:-}" ] && docker info >/dev/null 2>&1; then
    if [ $rc -ne 0 ]; then
      log "logs of the stack (last lines of each service):"
      "${compose[@]}" logs --no-color --tail=40 2>/dev/null || true
    fi
    log "removing the stack"
    "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  if [ -n "$started_engine" ]; then
    log "stopping the Docker engine (pid $started_engine)"
    kill "$started_engine" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$started_engine" 2>/dev/null || break; sleep 1; done
  fi
  exit $rc
}
trap cleanup EXIT

start_engine() {
  if docker info >/dev/null 2>&1; then
    log "using the Docker engine at ${DOCKER_HOST:-the default socket}"
    return
  fi
  command -v dockerd >/dev/null || fail "no Docker engine: install Debian's docker.io (see .ci/run)"
  mkdir -p "$dir"
  export DOCKER_HOST="unix://$dir/docker.sock"
  dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
          -H "$DOCKER_HOST" >"$dir/dockerd.log" 2>&1 &
  started_engine=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || fail "the Docker engine did not start; see $dir/dockerd.log"
  log "started the Docker engine (state in $dir)"
}

debian_mirror() {
  local uri
  uri=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -1)
  [ -n "$uri" ] || uri=$(awk '/^deb / && !/security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
  echo "${uri:-http://deb.debian.org/debian}"
}

make_bases() {
  if ! docker image inspect localhost/debian:bookworm >/dev/null 2>&1; then
    command -v debootstrap >/dev/null || fail "debootstrap is needed to make the base image (see .ci/run)"
    log "making localhost/debian:bookworm with debootstrap from $(debian_mirror)"
    rm -rf "$dir/rootfs"
    debootstrap --variant=minbase bookworm "$dir/rootfs" "$(debian_mirror)" >"$dir/debootstrap.log" 2>&1 \
      || fail "debootstrap failed; see $dir/debootstrap.log"
    tar -C "$dir/rootfs" -c . | docker import - localhost/debian:bookworm >/dev/null
    rm -rf "$dir/rootfs"
  fi
  if ! docker image inspect localhost/prunelab-jre:25 >/dev/null 2>&1; then
    log "making localhost/prunelab-jre:25 (a jlink runtime of $JAVA_HOME)"
    local ctx="$dir/jre-context"
    rm -rf "$ctx" && mkdir -p "$ctx"
    "$JAVA_HOME/bin/jlink" --strip-debug --no-header-files --no-man-pages --output "$ctx/jre" --add-modules \
      java.se,jdk.incubator.vector,jdk.unsupported,jdk.management,jdk.management.agent,jdk.jfr,jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.net,jdk.charsets,jdk.localedata,jdk.attach,jdk.jcmd,jdk.httpserver \
      2> >(grep -v 'incubator modules' >&2)
    cp docker/local/jre/Dockerfile "$ctx/"
    docker build -q -t localhost/prunelab-jre:25 "$ctx" >/dev/null
    rm -rf "$ctx"
  fi
}

package_if_missing() {
  [ -d data/mnist ] && [ -d data/fashion-mnist ] || fail "the datasets are missing: run scripts/setup-datasets.sh"
  local missing=""
  for m in trainer-service pruner-service evaluator-service; do
    [ -f "$m/target/quarkus-app/quarkus-run.jar" ] || missing=1
  done
  [ -d kafka-broker/target/kafka-libs ] && [ -d lab-runner/target/runner-libs ] || missing=1
  if [ -n "$missing" ]; then
    log "packaging the services (./mvnw package -DskipTests)"
    ./mvnw -B -ntp -q package -DskipTests
  fi
}

start_engine
make_bases
package_if_missing

log "building the stack's images"
t_build=$(date +%s)
COMPOSE_PROFILES=tools "${compose[@]}" build >"$dir/build.log" 2>&1 || { tail -30 "$dir/build.log"; fail "docker-compose build failed"; }
build_s=$(( $(date +%s) - t_build ))

request="{\"runId\":\"$run_id\",\"dataset\":\"mnist\",\"epochs\":1,\"trainLimit\":6000,\"percentages\":[$percentages]}"
log "starting ${services[*]} (study request: $request)"
t_up=$(date +%s)
STUDY_REQUEST=$request LAB_TIMING_WARMUPS=1 LAB_TIMING_REPETITIONS=2 "${compose[@]}" up -d "${services[@]}"

# The run's results and report, as a user under Docker gets them: the report container reads the run from Kafka until
# every variant the run announced (expectedVariants, from the code) is evaluated, then writes them into a host
# directory. Meanwhile every service must stay up.
runs_dir="$dir/runs"
rm -rf "$runs_dir" && mkdir -p "$runs_dir"
log "waiting for $run_id with the report service"
LAB_RUNS_DIR=$runs_dir LAB_REPORT_TIMEOUT_MINUTES=$(( timeout_s / 60 )) "${compose[@]}" run --rm report "$run_id" \
  >"$dir/report.log" 2>&1 &
report_pid=$!
# Mid-study, once the first evaluation is in, the evaluator crashes (its process SIGKILLed from the host, as the
# kernel's OOM killer would): its restart policy must bring it back and the study must still complete, each variant
# evaluated once.
evaluator=$("${compose[@]}" ps -q evaluator-service)
killed=""
while kill -0 "$report_pid" 2>/dev/null; do
  for s in trainer-service pruner-service evaluator-service kafka; do
    state=$(docker inspect -f '{{.State.Status}}' "$("${compose[@]}" ps -q "$s")" 2>/dev/null || echo missing)
    case "$state" in running|restarting) ;; *) fail "$s is $state" ;; esac
  done
  progress=$(grep -o 'evaluated [0-9]*/[0-9?]*' "$dir/report.log" | tail -1 || true)
  log "${progress:-waiting for the first evaluation}"
  if [ -z "$killed" ] && [ "$(sed -n 's/evaluated \([0-9]*\)\/.*/\1/p' <<< "$progress")" -ge 1 ] 2>/dev/null; then
    kill -9 "$(docker inspect -f '{{.State.Pid}}' "$evaluator")"
    killed=1
    log "killed the evaluator's process (SIGKILL) mid-study"
  fi
  sleep 5
done
wait "$report_pid" || { tail -30 "$dir/report.log"; fail "the report service failed"; }
[ -n "$killed" ] || fail "the study finished before the evaluator could be killed"
restarts=$(docker inspect -f '{{.RestartCount}}' "$evaluator")
[ "$restarts" -ge 1 ] || fail "the evaluator was not restarted by its restart policy"
once=$(grep -o 'evaluated twice: [0-9]*' "$dir/report.log" | tail -1)
[ "$once" = "evaluated twice: 0" ] || fail "a variant was evaluated twice ($once)"
log "the evaluator was killed mid-study and restarted $restarts time(s) by its restart policy; $once"
study_s=$(( $(date +%s) - t_up ))
out="$runs_dir/$run_id"
for f in results.json results.csv report/report.md; do
  [ -s "$out/$f" ] || fail "the report service did not write $f"
done
# results.csv has a line per variant and thread count: the variants are its distinct (method, percentage) pairs
expected=$(tail -n +2 "$out/results.csv" | cut -d, -f4,5 | sort -u | grep -c .)
log "$run_id: $expected evaluations (every variant the run announced)"

# Prometheus inside the stack: every evaluated variant's accuracy series, once scraped (scrape interval 5 s)
query="count(pruning_test_accuracy_ratio{run=\"$run_id\"})"
series=0
for _ in $(seq 1 12); do
  series=$("${compose[@]}" exec -T prometheus promtool query instant http://localhost:9090 "$query" 2>/dev/null \
             | sed -n 's/.*=> *\([0-9]*\) @.*/\1/p' | head -1)
  [ "${series:-0}" -ge "$expected" ] && break
  sleep 5
done
log "Prometheus in the stack: $query => ${series:-0}"
[ "${series:-0}" -ge "$expected" ] || fail "Prometheus holds ${series:-0} accuracy series of $run_id, expected $expected"
for job in trainer-service pruner-service evaluator-service; do
  up=$("${compose[@]}" exec -T prometheus promtool query instant http://localhost:9090 "up{job=\"$job\"}" \
         | sed -n 's/.*=> *\([0-9]*\) @.*/\1/p' | head -1)
  [ "$up" = 1 ] || fail "Prometheus does not reach $job (up=$up)"
done

charts=$(grep -o '([a-z0-9-]*\.png)' "$out/report/report.md" | tr -d '()' | sort -u)
n_charts=$(grep -c . <<< "$charts")
for c in $charts; do
  [ "$(head -c 4 "$out/report/$c" | tail -c 3)" = PNG ] || fail "report chart $c is missing or not a PNG"
done
[ "$(grep -c "^\(weight\|neuron\) " "$out/report/report.md")" -ge "$expected" ] || fail "the report's table lacks rows"
log "report of $run_id: results.json, results.csv, report.md and its $n_charts PNG charts"
rm -rf "$runs_dir"

log "image sizes:"
docker image ls --format '  {{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E 'localhost/' | sort
log "PASSED: $expected evaluations of $run_id (evaluator killed mid-study, restarted, each variant evaluated once), $series accuracy series in Prometheus, a report with $n_charts charts; image build ${build_s}s, study ${study_s}s, total $(( $(date +%s) - t0 ))s"
