#!/usr/bin/env bash
# Submit a Snakemake job script as a separate background process; print its id (the pid).
# Every submission is logged to $OMICSDL_LOCAL_CLUSTER_DIR/submissions.log
# (default .snakemake/local-cluster in the working directory).
set -euo pipefail
dir="${OMICSDL_LOCAL_CLUSTER_DIR:-.snakemake/local-cluster}"
mkdir -p "$dir"
jobscript="${*: -1}"
nohup bash -c 'bash "$1" > "$2/$$.out" 2>&1; echo $? > "$2/$$.exit.part"; mv "$2/$$.exit.part" "$2/$$.exit"' \
  _ "$jobscript" "$dir" > /dev/null 2>&1 < /dev/null &
pid=$!
echo "$(date +%s) pid=$pid parent=$$ jobscript=$jobscript" >> "$dir/submissions.log"
echo "$pid"
