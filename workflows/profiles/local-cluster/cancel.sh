#!/usr/bin/env bash
# Cancel jobs submitted by submit.sh (Snakemake passes their ids).
for jobid in "$@"; do kill "$jobid" 2> /dev/null || true; done
