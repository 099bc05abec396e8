#!/usr/bin/env bash
# Upgrade the running stack to the images and code of this checkout, in one command:
#
#     git pull && deploy/upgrade.sh
#
# 1. build our images and pull the pinned ones (nothing stops yet);
# 2. back up both databases and the media now (a set for today, kept by the rotation);
# 3. stop beat, then the workers: SIGTERM is Celery's warm shutdown, running tasks finish
#    (stop_grace_period) and queued ones wait in Redis (append-only file);
# 4. run Saleor's migrations, then ours, each in a one-off container of the new image;
# 5. start everything on the new images and wait until every health check passes.
# Any failing step stops the script (set -e); the previous containers keep running until step 3.
set -euo pipefail
cd "$(dirname "$0")/.."
compose=(docker compose)

"${compose[@]}" build --pull
"${compose[@]}" pull --ignore-buildable
"${compose[@]}" up -d postgres redis
"${compose[@]}" run --rm --no-deps backup backup
"${compose[@]}" stop beat
"${compose[@]}" stop worker saleor-worker
"${compose[@]}" run --rm --no-deps saleor-api python3 manage.py migrate --no-input
"${compose[@]}" run --rm --no-deps web python manage.py migrate --no-input
"${compose[@]}" up -d --remove-orphans --wait
"${compose[@]}" ps
