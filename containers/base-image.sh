#!/usr/bin/env bash
# Builds the local stand-in for the images' default base (registry.access.redhat.com/ubi9/openjdk-17-runtime) from
# Debian's packages, for machines without access to a container registry:
#   containers/base-image.sh          build localhost/socsec-gateway/jre17-debian:bookworm unless it exists
#   containers/base-image.sh --force  build it again
# debootstrap --variant=minbase of Debian bookworm with openjdk-17-jre-headless (java on the PATH, as in the UBI
# image), the user the chart runs as (uid 185, gid 0, home /home/default, as in the UBI image) and /deployments owned
# by it; apt's lists and caches removed; imported with `podman import`. About 2 minutes; needs root (debootstrap)
# and the Debian mirror apt uses (containers/lib.sh: debian_mirror; CONTAINERS_DEBIAN_MIRROR overrides it).
# Settings: CONTAINERS_BASE_IMAGE (the name), CONTAINERS_DEBIAN_SUITE (bookworm).
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$DIR/lib.sh"

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

require_container_tools
if [[ "$FORCE" == 0 ]] && pm image exists "$BASE_IMAGE_LOCAL"; then
  clog "base image $BASE_IMAGE_LOCAL exists (--force builds it again)"
  exit 0
fi
[[ $EUID == 0 ]] || cdie "debootstrap needs root"
MIRROR=$(debian_mirror) || cdie "no Debian mirror in /etc/apt/sources.list*; set CONTAINERS_DEBIAN_MIRROR"

ROOTFS=$(mktemp -d -t socsec-base.XXXXXX)
trap 'rm -rf "$ROOTFS"' EXIT
START=$(date +%s)
clog "debootstrap --variant=minbase $DEBIAN_SUITE (openjdk-17-jre-headless) into $ROOTFS"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates "$DEBIAN_SUITE" "$ROOTFS" "$MIRROR" \
  >"$ROOTFS.log" 2>&1 || { tail -20 "$ROOTFS.log" >&2; cdie "debootstrap failed (log: $ROOTFS.log)"; }
rm -f "$ROOTFS.log"

# The chart's user (podSecurityContext.runAsUser 185, the UBI image's "default" user in group root, so that an
# arbitrary uid with gid 0, as on OpenShift, can read the files too).
# (useradd warns that 185 is below UID_MIN: intended, it is the UBI image's uid)
chroot "$ROOTFS" useradd --no-log-init --uid 185 --gid 0 --home-dir /home/default --create-home --shell /usr/sbin/nologin \
  default 2>/dev/null
install -d -o 185 -g 0 -m 0775 "$ROOTFS/deployments"
# What a runtime image needs no more: apt's lists and caches, documentation, man pages.
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
  "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/*

clog "importing as $BASE_IMAGE_LOCAL"
JAVA_HOME_DIR=/usr/lib/jvm/java-17-openjdk-$(chroot "$ROOTFS" dpkg --print-architecture)
[[ -x "$ROOTFS$JAVA_HOME_DIR/bin/java" ]] || cdie "no $JAVA_HOME_DIR/bin/java in the new root file system"
tar -C "$ROOTFS" -c . | pm import \
  --change "ENV JAVA_HOME=$JAVA_HOME_DIR" \
  --change 'ENV LANG=C.UTF-8' \
  --change 'WORKDIR /home/default' \
  --change 'USER 185' \
  --change 'CMD ["java", "-version"]' \
  - "$BASE_IMAGE_LOCAL" >/dev/null || cdie "podman import failed"
version=$(pm run --rm --network none "$BASE_IMAGE_LOCAL" java -version 2>&1) || cdie "java does not run in $BASE_IMAGE_LOCAL: $version"
clog "${version%%$'\n'*}"
clog "base image $BASE_IMAGE_LOCAL built in $(( $(date +%s) - START )) s ($(pm image inspect --format '{{.Size}}' "$BASE_IMAGE_LOCAL" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
