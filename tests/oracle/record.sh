#!/usr/bin/env bash
# Records the oracle's scenarios against the real Docker daemon on this machine.
#
#   tests/oracle/record.sh [SCENARIO...]      (from anywhere; needs docker and root)
#
# Each scenario (tests/oracle/scenarios/NAME.sh, in swarmlab's script format) runs on
# a fresh single-node swarm; every command's stdout, stderr and exit code go to
# tests/oracle/recordings/NAME.txt. No registry is reachable: the `busybox` image the
# scenarios run is imported from Debian's busybox-static, as the lab's own image of it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
oracle="$root/tests/oracle"
cd "$root"

command -v docker >/dev/null || { echo "record.sh: no docker CLI" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "record.sh: no Docker daemon answers" >&2; exit 1; }

build_image() {
    if [ ! -x /bin/busybox ] || ! file -L /bin/busybox | grep -q 'statically linked'; then
        apt-get install -y busybox-static >/dev/null
    fi
    local rootfs
    rootfs=$(mktemp -d)
    mkdir -p "$rootfs/bin" "$rootfs/www" "$rootfs/tmp"
    cp /bin/busybox "$rootfs/bin/"
    for a in sh ls cat echo sleep httpd hostname env false true nslookup; do ln -s busybox "$rootfs/bin/$a"; done
    echo hello >"$rootfs/www/index.html"
    tar -C "$rootfs" -c . | docker import -c 'CMD ["sh"]' -c 'ENV PATH=/bin' - busybox:latest >/dev/null
    rm -rf "$rootfs"
}

reset_swarm() {
    docker swarm leave --force >/dev/null 2>&1 || true
    docker network rm docker_gwbridge >/dev/null 2>&1 || true
    docker container prune -f >/dev/null 2>&1 || true
}

# A stream's bytes, then a marker line when it did not end with a newline.
emit() {
    cat "$1"
    if [ -s "$1" ] && [ "$(tail -c1 "$1" | wc -l)" -eq 0 ]; then
        printf '\n@@ no newline\n'
    fi
}

record() {
    local name=$1 script="$oracle/scenarios/$1.sh" out="$oracle/recordings/$1.txt" tmp
    tmp=$(mktemp -d)
    reset_swarm
    {
        echo "@@ recorded $(date -u +%Y-%m-%d) with docker CLI $(docker version -f '{{.Client.Version}}'), daemon $(docker version -f '{{.Server.Version}}'), host $(hostname)"
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in ''|'#'*) continue ;; esac
            local cmd=${line#*\$ }
            cmd=${cmd#! }
            set +e
            eval "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null
            local rc=$?
            set -e
            echo "@@ command $line"
            echo "@@ stdout"
            emit "$tmp/out"
            echo "@@ stderr"
            emit "$tmp/err"
            echo "@@ exit $rc"
        done <"$script"
    } >"$out"
    rm -rf "$tmp"
    reset_swarm
    echo "recorded $name: $(grep -c '^@@ command' "$out") commands"
}

build_image
if [ $# -eq 0 ]; then
    set -- $(cd "$oracle/scenarios" && ls *.sh | sed 's/\.sh$//')
fi
for s in "$@"; do record "$s"; done
