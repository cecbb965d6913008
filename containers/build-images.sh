#!/usr/bin/env bash
# Builds the five services' JVM images with podman from <service>/src/main/docker/Dockerfile.jvm:
#   containers/build-images.sh              ./mvnw package the services, then build the images
#   containers/build-images.sh --no-build   build the images from what ./mvnw packaged before
# Base image: CONTAINERS_BASE_IMAGE when it exists locally (default localhost/socsec-gateway/jre17-debian:bookworm,
# made by containers/base-image.sh when missing); CONTAINERS_USE_UBI=1 builds on the Dockerfiles' default base
# (registry.access.redhat.com/ubi9/openjdk-17-runtime, needs registry access) instead.
# Images: localhost/socsec-gateway/<service>:local (CONTAINERS_IMAGE_PREFIX, CONTAINERS_IMAGE_TAG).
# Writes $CONTAINERS_SIZES_FILE (when set): "<service> <bytes>" per image. Needs root (podman as set up here).
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$DIR/.." && pwd)
cd "$ROOT"
# shellcheck source=lib.sh
. "$DIR/lib.sh"

BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    -h|--help) awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

require_container_tools
if [[ "$BUILD" == 1 ]]; then
  modules=$(IFS=,; echo "${CONTAINER_SERVICES[*]}")
  clog "building: ./mvnw -B -q -pl $modules -am package -DskipTests"
  ./mvnw -B -q -pl "$modules" -am package -DskipTests || cdie "Maven build failed"
fi
# the local base is never pulled (there is no registry to pull it from); the UBI default is pulled when missing
BASE_ARGS=(--pull=missing)
if [[ "${CONTAINERS_USE_UBI:-0}" != 1 ]]; then
  "$DIR/base-image.sh"
  BASE_ARGS=(--pull=never --build-arg "BASE_IMAGE=$BASE_IMAGE_LOCAL")
fi
for s in "${CONTAINER_SERVICES[@]}"; do
  [[ -f "$s/target/quarkus-app/quarkus-run.jar" ]] || cdie "$s/target/quarkus-app/quarkus-run.jar missing; build without --no-build"
  start=$(date +%s)
  pm build --quiet "${BASE_ARGS[@]}" -f "$s/src/main/docker/Dockerfile.jvm" -t "$IMAGE_PREFIX/$s:$IMAGE_TAG" "$s" \
    >/dev/null || cdie "podman build of $s failed"
  size=$(pm image inspect --format '{{.Size}}' "$IMAGE_PREFIX/$s:$IMAGE_TAG")
  clog "$IMAGE_PREFIX/$s:$IMAGE_TAG built in $(( $(date +%s) - start )) s, $(awk -v b="$size" 'BEGIN { printf "%.0f MB", b / 1e6 }')"
  if [[ -n "${CONTAINERS_SIZES_FILE:-}" ]]; then echo "$s $size" >>"$CONTAINERS_SIZES_FILE"; fi
done
