#!/usr/bin/env bash
# Status of a job submitted by submit.sh: prints running, success or failed.
dir="${OMICSDL_LOCAL_CLUSTER_DIR:-.snakemake/local-cluster}"
jobid="$1"
if [ -f "$dir/$jobid.exit" ]; then
  if [ "$(cat "$dir/$jobid.exit")" = "0" ]; then echo success; else echo failed; fi
elif kill -0 "$jobid" 2> /dev/null; then
  echo running
else
  echo failed
fi
