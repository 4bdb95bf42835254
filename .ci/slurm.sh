#!/usr/bin/env bash
# A private one-node Slurm for the slurm launcher's tests: its own munge key and socket, its
# own slurm.conf, state and logs in DIR; slurmctld and slurmd run as root, started directly.
#   bash .ci/slurm.sh start DIR   installs slurmctld, slurmd, slurm-client and munge if missing
#                                 (needs root and apt-get), starts them, waits until the node
#                                 is idle; prints the export lines
#   bash .ci/slurm.sh stop DIR    stops them
# The tests find it through COPROC_TEST_SLURM=DIR; srun and scancel through SLURM_CONF.
set -euo pipefail
action=${1:?start or stop}
dir=$(mkdir -p "${2:?directory}" && cd "$2" && pwd)
port=${COPROC_TEST_SLURM_PORT:-6917}
stop() {
    for name in slurmd slurmctld munged; do
        if [ -f "$dir/$name.pid" ]; then
            kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
            rm -f "$dir/$name.pid"
        fi
    done
}
case "$action" in
start)
    if [ ! -x /usr/sbin/slurmctld ] || [ ! -x /usr/sbin/slurmd ] || [ ! -x /usr/bin/srun ] || [ ! -x /usr/sbin/munged ]; then
        packages="slurmctld slurmd slurm-client munge"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages >"$dir/apt.log" 2>&1 \
            || { apt-get update -q >>"$dir/apt.log" 2>&1 \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages >>"$dir/apt.log" 2>&1; }
    fi
    stop
    node=$(hostname -s)
    mkdir -p "$dir/state" "$dir/spool"
    rm -rf "${dir:?}/state/"* "${dir:?}/spool/"*
    if [ ! -f "$dir/munge.key" ]; then
        dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none
        chmod 400 "$dir/munge.key"
    fi
    /usr/sbin/munged --force --key-file="$dir/munge.key" --socket="$dir/munge.socket" \
        --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munged.seed"
    cat >"$dir/slurm.conf" <<CONF
ClusterName=coproc
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
KillWait=2
MinJobAge=2
InactiveLimit=0
NodeName=$node NodeAddr=127.0.0.1 CPUs=16 RealMemory=8000 State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$dir/slurm.conf
    /usr/sbin/slurmctld -f "$SLURM_CONF"
    /usr/sbin/slurmd -f "$SLURM_CONF"
    for _ in $(seq 100); do
        sinfo -h -o %t 2>/dev/null | grep -qx idle && break
        sleep 0.1
    done
    sinfo -h -o %t | grep -qx idle || { echo "the test Slurm's node is not idle: $(sinfo 2>&1)" >&2; exit 1; }
    echo "export SLURM_CONF=$dir/slurm.conf COPROC_TEST_SLURM=$dir"
    ;;
stop)
    stop
    ;;
esac
