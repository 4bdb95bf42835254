#!/usr/bin/env bash
# A private sshd on 127.0.0.1 for the ssh launcher's tests: key-only, its own host key, a
# fresh client key, and an ssh config file naming the host "coproc-test".
#   bash .ci/sshd.sh start DIR   installs openssh-server if missing (needs root and apt-get),
#                                starts sshd, writes DIR/ssh_config; prints the export line
#   bash .ci/sshd.sh stop DIR    stops it
# The tests find it through COPROC_TEST_SSH_CONFIG=DIR/ssh_config.
set -euo pipefail
action=${1:?start or stop}
dir=$(mkdir -p "${2:?directory}" && cd "$2" && pwd)
port=${COPROC_TEST_SSH_PORT:-22022}
case "$action" in
start)
    if [ ! -x /usr/sbin/sshd ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server >"$dir/apt.log" 2>&1 \
            || { apt-get update -q >>"$dir/apt.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server >>"$dir/apt.log" 2>&1; }
    fi
    mkdir -p /run/sshd
    rm -f "$dir"/host_key* "$dir"/client_key* "$dir"/known_hosts
    ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
    ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
    cp "$dir/client_key.pub" "$dir/authorized_keys"
    chmod 600 "$dir/authorized_keys"
    cat >"$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
AllowStreamLocalForwarding yes
MaxSessions 100
MaxStartups 100
LogLevel ERROR
CONF
    echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$dir/host_key.pub")" >"$dir/known_hosts"
    cat >"$dir/ssh_config" <<CONF
Host coproc-test
    HostName 127.0.0.1
    Port $port
    User $(id -un)
    IdentityFile $dir/client_key
    IdentitiesOnly yes
    UserKnownHostsFile $dir/known_hosts
    StrictHostKeyChecking yes
    KexAlgorithms curve25519-sha256
CONF
    if [ -f "$dir/sshd.pid" ]; then kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true; fi
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
    for _ in $(seq 50); do
        ssh -F "$dir/ssh_config" -o BatchMode=yes coproc-test true 2>/dev/null && break
        sleep 0.1
    done
    ssh -F "$dir/ssh_config" -o BatchMode=yes coproc-test true
    echo "export COPROC_TEST_SSH_CONFIG=$dir/ssh_config"
    ;;
stop)
    if [ -f "$dir/sshd.pid" ]; then kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true; rm -f "$dir/sshd.pid"; fi
    ;;
esac
