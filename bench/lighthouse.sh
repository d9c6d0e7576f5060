#!/usr/bin/env bash
# Lighthouse (mobile profile, the default form factor) on the feed, a story and the library, as camille,
# against the production configuration served locally (gunicorn, DEBUG=0, static files collected and served
# by whitenoise, SQLite demo data in its own folder). Not part of CI; see bench/README.md "Lighthouse".
#
#   bash bench/lighthouse.sh                 # scores table; JSON and HTML reports in bench/results/lighthouse/
#   RUNS=3 bash bench/lighthouse.sh          # three times over
#   LH_NGINX=1 bash bench/lighthouse.sh         # behind nginx as deployed (deploy/nginx/app.conf, gzip)
#   LH_LANGUAGE=en LH_DIR=/path/to/npm/folder bash bench/lighthouse.sh
#
# Needs Lighthouse from npm somewhere outside the repo (mkdir /work/lh && cd /work/lh && npm init -y &&
# npm install lighthouse) and Debian's Chromium (/usr/bin/chromium). Nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

LH_DIR=${LH_DIR:-/work/lh}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
PY=${PY:-.venv/bin/python}
OUT=bench/results/lighthouse
RUNS=${RUNS:-1}
test -d "$LH_DIR/node_modules/lighthouse" || { echo "Lighthouse not found in $LH_DIR (set LH_DIR=...)"; exit 2; }
test -x "$CHROME_PATH" || { echo "Chromium not found at $CHROME_PATH"; exit 2; }

# Production settings, on a throw-away SQLite database and media folder of its own.
export VAR_DIR=${VAR_DIR:-$PWD/var/lighthouse}
mkdir -p "$VAR_DIR" "$OUT"
export DEBUG=0 SECRET_KEY=lighthouse-only-secret-key-not-for-production-0123456789 \
  ALLOWED_HOSTS=localhost,127.0.0.1 HTTPS_ONLY=0 TASKS_BACKEND=immediate DATABASE_URL= REDIS_URL= \
  DJANGO_SETTINGS_MODULE=config.settings
"$PY" manage.py compilemessages --ignore=.venv --ignore=var -v0
"$PY" manage.py collectstatic --no-input -v0
"$PY" manage.py migrate --no-input -v0
"$PY" manage.py seed_demo --if-empty >/dev/null 2>&1

# A session for camille (as a log-in would make it) and the newest published story with photos.
read -r SESSION STORY < <("$PY" - 2>"$OUT/setup.log" <<'EOF'
import os

import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from stories.models import Story
# force_login writes the session exactly as a log-in does, with the first backend that can load a user.
camille = get_user_model().objects.get(username="camille")
# She reads the site in French (the demo's roster language); LH_LANGUAGE=en measures the English pages.
get_user_model().objects.filter(pk=camille.pk).update(preferred_language=os.environ.get("LH_LANGUAGE", ""))
client = Client()
client.force_login(camille)
story = (
    Story.objects.filter(status=Story.Status.PUBLISHED, photos__isnull=False).order_by("-published_at").first()
    or Story.objects.filter(status=Story.Status.PUBLISHED).order_by("-published_at").first()
)
print(client.cookies[settings.SESSION_COOKIE_NAME].value, story.pk)
EOF
) || { echo "Could not make camille's session: see $OUT/setup.log"; exit 2; }
STORY=${LH_STORY:-$STORY}  # another story: LH_STORY=<id>

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
APP_PORT=$(free_port)
if [ "${LH_NGINX:-0}" = 1 ]; then
  # As deployed: nginx in front (deploy/nginx/app.conf, with Debian's nginx.conf `gzip on;` for HTML) and
  # photos handed to nginx by X-Accel-Redirect.
  export PROXY_COUNT=1 PHOTOS_X_ACCEL_PREFIX=/protected-media/
  PORT=$(free_port)
  NGINX_DIR=$PWD/$OUT/nginx
  rm -rf "$NGINX_DIR" && mkdir -p "$NGINX_DIR"
  cat >"$NGINX_DIR/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
$([ "$(id -u)" = 0 ] && echo "user root;")
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log $NGINX_DIR/access.log;
    client_body_temp_path $NGINX_DIR/client_body;
    proxy_temp_path $NGINX_DIR/proxy;
    fastcgi_temp_path $NGINX_DIR/fastcgi;
    uwsgi_temp_path $NGINX_DIR/uwsgi;
    scgi_temp_path $NGINX_DIR/scgi;
    gzip on;
    upstream stories_app { server 127.0.0.1:$APP_PORT; keepalive 16; }
    server {
        listen 127.0.0.1:$PORT;
        include $PWD/deploy/nginx/app.conf;
        location /protected-media/ { internal; alias $VAR_DIR/media/; }
    }
}
CONF
else
  PORT=$APP_PORT
fi
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$APP_PORT" --workers 2 --timeout 30 --no-control-socket \
  --log-file "$OUT/gunicorn.log" &
PIDS=$!
if [ "${LH_NGINX:-0}" = 1 ]; then
  /usr/sbin/nginx -c "$NGINX_DIR/nginx.conf" 2>"$NGINX_DIR/stderr.log" &
  PIDS="$PIDS $!"
fi
trap 'kill $PIDS 2>/dev/null; wait $PIDS 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

for run in $(seq "$RUNS"); do
  test "$RUNS" = 1 || echo "run $run"
  suffix=$([ "$RUNS" = 1 ] || echo "-$run")
  node bench/lighthouse.mjs "$LH_DIR" "http://127.0.0.1:$PORT" "$SESSION" "$OUT" \
    "feed$suffix=/stories/" "story$suffix=/stories/$STORY/" "library$suffix=/library/"
done
