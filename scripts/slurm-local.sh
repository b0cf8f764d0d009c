#!/usr/bin/env bash
# A single-node Slurm cluster on localhost, for testing Tauon's job-array scripts: installs
# Debian's slurm-wlm and munge when missing, writes a minimal slurm.conf, starts munged,
# slurmctld and slurmd as plain daemons (no systemd) and waits until the node is idle.
# Usage: slurm-local.sh [start|stop|status]. Idempotent. Exit 3 with one reason when it cannot.
set -uo pipefail

conf=/etc/slurm/slurm.conf
marker="# written by tauon scripts/slurm-local.sh"
logs=/var/log/slurm
node="$(hostname -s 2>/dev/null || echo localhost)"

say() { echo "slurm-local: $*" >&2; }
fail() { say "cannot start Slurm here: $*"; exit 3; }

node_state() {  # prints the node's state (idle, mixed, allocated, down*, ...) or nothing
  timeout 5 sinfo -h -N -n "$node" -o %T 2>/dev/null | head -n 1
}

is_up() {
  command -v sinfo >/dev/null 2>&1 && timeout 5 scontrol ping 2>/dev/null | grep -q UP &&
    case "$(node_state)" in idle|mixed|allocated|completing) return 0 ;; *) return 1 ;; esac
}

running() {  # true when the pid file $1 names a live process called $2
  local pid
  pid="$(cat "$1" 2>/dev/null)" && [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}

stop() {
  if command -v scontrol >/dev/null 2>&1 && timeout 5 scontrol ping 2>/dev/null | grep -q UP; then
    timeout 10 scontrol shutdown >/dev/null 2>&1   # stops slurmctld and every slurmd
  fi
  local d f
  for d in slurmd slurmctld munge/munged; do
    f="/run/$d.pid"
    if running "$f" "${d#*/}"; then kill "$(cat "$f")" 2>/dev/null; fi
  done
  for _ in $(seq 50); do
    running /run/slurmd.pid slurmd || running /run/slurmctld.pid slurmctld || running /run/munge/munged.pid munged || break
    sleep 0.2
  done
  rm -f /run/slurmd.pid /run/slurmctld.pid
  say "stopped"
}

install_packages() {
  local missing=0 b
  for b in munged slurmctld slurmd sbatch; do
    command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || missing=1
  done
  [ "$missing" = 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || fail "slurm-wlm and munge are missing and there is no apt-get to install them"
  say "installing slurm-wlm and munge (apt-get) ..."
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge; } \
      >/tmp/slurm-local-apt.log 2>&1; then
    fail "apt-get install slurm-wlm munge failed (no network or no package?); see /tmp/slurm-local-apt.log"
  fi
}

write_conf() {  # the node line comes from slurmd -C (CPUs, sockets, cores, memory of this machine)
  if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
    fail "$conf exists and was not written by this script; not overwriting a real cluster's configuration"
  fi
  local hw
  hw="$(slurmd -C 2>/dev/null | grep '^NodeName=' | sed 's/^NodeName=[^ ]* //')"
  [ -n "$hw" ] || fail "slurmd -C does not describe this machine"
  mkdir -p /etc/slurm
  cat >"$conf" <<EOF
$marker
# One node on localhost; consumable CPUs so one-CPU array tasks run side by side.
ClusterName=tauon-local
SlurmctldHost=$node(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
# Requeued jobs wait cred_expire+1 s before they may start again (default 120 s).
AuthInfo=cred_expire=15
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
# Jobs are requeued only when they ask (sbatch --requeue), so tests see that the script asks.
JobRequeue=0
SlurmdTimeout=60
KillWait=10
MinJobAge=300
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null ||
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
  fi
  chown munge:munge /etc/munge /etc/munge/munge.key && chmod 700 /etc/munge && chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged || fail "munged does not start; see /var/log/munge/munged.log"
    for _ in $(seq 25); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return 0; sleep 0.2; done
    fail "munged started but munge credentials do not decode; see /var/log/munge/munged.log"
  fi
}

start() {
  if is_up; then say "already up ($node $(node_state))"; return 0; fi
  [ "$(id -u)" = 0 ] || fail "must run as root to install and start the daemons (it runs as $(id -un))"
  install_packages
  write_conf
  mkdir -p "$logs" /var/spool/slurmctld /var/spool/slurmd
  chown slurm:slurm "$logs" /var/spool/slurmctld
  start_munge
  running /run/slurmctld.pid slurmctld || /usr/sbin/slurmctld || fail "slurmctld does not start: $(tail -n 3 $logs/slurmctld.log 2>/dev/null | tr '\n' ' ')"
  running /run/slurmd.pid slurmd || /usr/sbin/slurmd || fail "slurmd does not start: $(tail -n 3 $logs/slurmd.log 2>/dev/null | tr '\n' ' ')"
  local state=""
  for i in $(seq 60); do
    state="$(node_state)"
    case "$state" in
      idle|mixed|allocated) say "up: node $node $state, partition debug"; return 0 ;;
      down*|drain*) scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 ;;
    esac
    [ "$i" -gt 10 ] || { sleep 0.5; continue; }  # pid files appear a moment after the fork
    running /run/slurmctld.pid slurmctld || fail "slurmctld died: $(tail -n 3 $logs/slurmctld.log 2>/dev/null | tr '\n' ' ')"
    running /run/slurmd.pid slurmd || fail "slurmd died: $(tail -n 3 $logs/slurmd.log 2>/dev/null | tr '\n' ' ')"
    sleep 0.5
  done
  fail "node $node is not idle after 30 s (state '${state:-unknown}'); see $logs/"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if is_up; then echo "up: node $node $(node_state)"; else echo "down"; exit 1; fi ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
