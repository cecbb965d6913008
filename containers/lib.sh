# shellcheck shell=bash
# Shared by the container scripts (base-image.sh, build-images.sh, run-stack.sh): sourced, not run. Defines the one
# podman invocation they all use, the images' names and the Debian suite and mirror of the base image.

# podman as this machine needs it, in ONE place:
# - --runtime /usr/sbin/runc: Debian's default OCI runtime (crun) is refused by this machine's kernel/sandbox; runc
#   works. Set CONTAINERS_RUNTIME to use another one.
# - explicit ulimits on every `run` and `build`: podman's default (copying the caller's, with a very high nofile) is
#   refused here; 4096 open files and 1024 processes are ample for one JVM service (Vert.x, Agroal, Netty).
# CONTAINERS_PODMAN replaces the podman binary (e.g. a wrapper); the flags are kept.
CONTAINERS_RUNTIME=${CONTAINERS_RUNTIME:-/usr/sbin/runc}
CONTAINERS_ULIMITS=(--ulimit nofile=4096:4096 --ulimit nproc=1024:1024)
pm() {
  local cmd=$1
  shift
  case "$cmd" in
    run|create|build) "${CONTAINERS_PODMAN:-podman}" --runtime "$CONTAINERS_RUNTIME" "$cmd" "${CONTAINERS_ULIMITS[@]}" "$@" ;;
    *) "${CONTAINERS_PODMAN:-podman}" --runtime "$CONTAINERS_RUNTIME" "$cmd" "$@" ;;
  esac
}

# The services and where their Dockerfiles are (<service>/src/main/docker/Dockerfile.jvm).
CONTAINER_SERVICES=(token-broker bcss-proxy wsb-receiver dfdg-poller codelist-service)
# Names of the local images: socsec-gateway/<service>:<tag>, built on the base localhost/socsec-gateway/jre17-debian.
IMAGE_PREFIX=${CONTAINERS_IMAGE_PREFIX:-localhost/socsec-gateway}
IMAGE_TAG=${CONTAINERS_IMAGE_TAG:-local}
BASE_IMAGE_LOCAL=${CONTAINERS_BASE_IMAGE:-localhost/socsec-gateway/jre17-debian:bookworm}

# The Debian suite of the base image, and the mirror: the first deb URI of this machine's apt sources (so the
# script uses whatever mirror apt is set up with), unless CONTAINERS_DEBIAN_MIRROR is set.
DEBIAN_SUITE=${CONTAINERS_DEBIAN_SUITE:-bookworm}
debian_mirror() {
  if [[ -n "${CONTAINERS_DEBIAN_MIRROR:-}" ]]; then echo "$CONTAINERS_DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)[[:space:]]*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
  [[ -n "$uri" ]] || uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1)
  [[ -n "$uri" ]] || return 1
  echo "$uri"
}

clog() { printf '[containers %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
cdie() { clog "FAILED: $*"; exit 1; }

# require_container_tools: podman, runc, debootstrap from Debian's packages (installed with apt-get when missing).
require_container_tools() {
  local c p missing=()
  for c in podman:podman runc:runc debootstrap:debootstrap; do
    p=${c#*:}; c=${c%%:*}
    command -v "$c" >/dev/null || [[ -x /usr/sbin/$c ]] || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $EUID == 0 ]] || cdie "missing: ${missing[*]} (apt-get install ${missing[*]}, as root)"
  clog "installing ${missing[*]} with apt-get"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2 \
    || cdie "cannot install ${missing[*]}"
}
